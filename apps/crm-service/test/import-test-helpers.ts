import type { ImportJob } from '@atelier/contracts';
import { INTERNAL_TOKEN_HEADER, signInternalToken } from '@atelier/platform';
import { createTestDatabase, serviceClient, TEST_INTERNAL_SECRET, testEnv, testNamespace, waitFor, type TestDatabase, type TestPrincipal } from '@atelier/platform/testing';
import { loadCrmConfig } from '../src/config.js';
import { buildCrmService } from '../src/crm-service.js';
import type { ImportRunnerOptions } from '../src/imports/import-runner.js';
import { crmMigrations, type CrmHarness } from './crm-harness.js';

/** Like startCrm, with import options (small batches) and job runner options (short polls) for the tests that need them. */
export async function startCrmWithImports(options: Partial<ImportRunnerOptions> & { pollMs?: number; now?: () => Date }, db?: TestDatabase): Promise<CrmHarness> {
  const database = db ?? (await createTestDatabase({ crm: crmMigrations }));
  const namespace = testNamespace();
  const { pollMs, now, ...imports } = options;
  const service = buildCrmService(loadCrmConfig(testEnv('crm', database, namespace)), {
    imports,
    // A short lease: a job whose settling failed (say, the shared server ran out of connections) is taken up again within seconds.
    jobRunner: { pollMs: pollMs ?? 50, leaseMs: 3_000, heartbeatMs: 1_000, ...(now ? { now } : {}) },
  });
  const server = await service.start();
  return { db: database, service, url: server.url, namespace };
}

export interface UploadResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

const authHeader = (who: TestPrincipal) => ({ [INTERNAL_TOKEN_HEADER]: signInternalToken(TEST_INTERNAL_SECRET, { ...who, aud: 'crm' }) });

/** POST /api/imports as multipart, straight to crm-service as the gateway would send it. */
export async function upload(baseUrl: string, who: TestPrincipal, parts: { entity?: string; file?: Blob | string | Buffer; fileName?: string }): Promise<UploadResponse> {
  const form = new FormData();
  if (parts.entity !== undefined) form.append('entity', parts.entity);
  if (parts.file !== undefined) {
    const blob = parts.file instanceof Blob ? parts.file : new Blob([parts.file], { type: 'text/csv' });
    form.append('file', blob, parts.fileName ?? 'data.csv');
  }
  const res = await fetch(`${baseUrl}/api/imports`, { method: 'POST', headers: authHeader(who), body: form });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body };
}

/** GET a CSV (export or errors.csv) as text. */
export async function getCsv(baseUrl: string, who: TestPrincipal, path: string): Promise<{ status: number; headers: Headers; text: string; bytes: Buffer }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: authHeader(who) });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: bytes.toString('utf8'), bytes };
}


export async function waitForJob(baseUrl: string, who: TestPrincipal, id: string, timeoutMs = 20_000): Promise<ImportJob> {
  const api = serviceClient(baseUrl, who);
  return waitFor(
    async () => {
      const res = await api('GET', `/api/imports/${id}`);
      return res.body?.status === 'completed' || res.body?.status === 'failed' ? (res.body as ImportJob) : undefined;
    },
    timeoutMs,
    50,
  );
}

/** Upload, commit with the suggested mapping (or the one given), wait for the job to finish. */
export async function importCsv(baseUrl: string, who: TestPrincipal, entity: string, csv: string | Buffer, mapping?: Record<string, string>): Promise<ImportJob> {
  const up = await upload(baseUrl, who, { entity, file: csv });
  if (up.status !== 201) throw new Error(`upload failed: ${up.status} ${JSON.stringify(up.body)}`);
  const api = serviceClient(baseUrl, who);
  const commit = await api('POST', `/api/imports/${up.body.id}/commit`, { mapping: mapping ?? up.body.suggestedMapping });
  if (commit.status !== 202) throw new Error(`commit failed: ${commit.status} ${JSON.stringify(commit.body)}`);
  return waitForJob(baseUrl, who, up.body.id);
}
