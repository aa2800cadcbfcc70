import type { ImportJob } from '@atelier/contracts';
import type { Sql } from '@atelier/platform';
import { getJson } from './api.js';
import { loadBaselines, type Baselines } from './copy-baseline.js';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { CONTACT_COLUMNS, contactsCsv, pickClients } from './import-csv.js';
import { RssSampler, type RssResult } from './rss.js';
import { sleep } from './stats.js';

export interface ImportBenchOptions {
  gatewayUrl: string;
  apiToken: string;
  agencyId: string;
  /** Owner connection (BYPASSRLS): picks the clients, runs the COPY, reads the outbox. */
  sql: Sql;
  /** The crm-service child process (tsx's launcher; the service is below it). */
  crmPid: number;
  rows: number;
  clients: number;
  timeoutMs: number;
  sampler?: CpuSampler;
}

export interface ImportBenchResult {
  rows: number;
  clients: number;
  fileBytes: number;
  /** Raw COPY of the same file, and the same rows inserted set-based into a copy of crm.contacts. */
  copy: Baselines['copy'];
  indexed: Baselines['indexed'];
  /** Upload start -> 201 (the file streamed, stored and scanned). */
  uploadSeconds: number;
  /** Upload start -> the job's finishedAt. */
  endToEndSeconds: number;
  /** Commit request -> the job's finishedAt. */
  jobSeconds: number;
  endToEndRowsPerS: number;
  jobRowsPerS: number;
  status: string;
  created: number;
  updated: number;
  failed: number;
  firstError: string | null;
  rss: RssResult;
  /** crm.outbox rows not yet relayed when the job finished (one event per imported contact). */
  outboxBacklog: number;
  /** CPU ms per 1,000 rows, commit -> completed. */
  cpu: CpuTimes | null;
}

/**
 * The same generated contacts file twice: first a raw COPY into a scratch table (the floor of what
 * loading these rows costs), then through the product: upload via the gateway, commit with the
 * suggested mapping, poll until the background job is done; RSS of crm-service sampled throughout.
 */
export async function runImportBench(o: ImportBenchOptions): Promise<ImportBenchResult> {
  const clients = await pickClients(o.sql, o.agencyId, o.clients);
  const csv = contactsCsv(clients, o.rows);
  // First, on a quiet system: the import leaves its events relaying for a while afterwards.
  const { copy, indexed } = await loadBaselines(o.sql, o.agencyId, csv, o.rows);

  const auth = { authorization: `Bearer ${o.apiToken}` };
  const rss = new RssSampler(o.crmPid);
  let rssResult: RssResult | null = null;
  try {
    const uploadStart = Date.now();
    const form = new FormData();
    form.set('entity', 'contacts');
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'bench-contacts.csv');
    const uploaded = await fetch(`${o.gatewayUrl}/api/imports`, { method: 'POST', headers: auth, body: form });
    if (uploaded.status !== 201) throw new Error(`upload: expected 201, got ${uploaded.status} ${await uploaded.text()}`);
    const created = (await uploaded.json()) as { id: string; suggestedMapping: Record<string, string>; preview: { errors: string[] }[] };
    const uploadSeconds = (Date.now() - uploadStart) / 1000;
    const unmapped = CONTACT_COLUMNS.filter((c) => !created.suggestedMapping[c]);
    if (unmapped.length) throw new Error(`upload: no field suggested for ${unmapped.join(', ')}`);
    const previewErrors = created.preview.flatMap((p) => p.errors);
    if (previewErrors.length) throw new Error(`upload: the preview found errors, e.g. ${previewErrors[0]}`);

    const before = await o.sampler?.sample();
    const commitStart = Date.now();
    const commit = await fetch(`${o.gatewayUrl}/api/imports/${created.id}/commit`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ mapping: created.suggestedMapping }),
    });
    if (commit.status !== 202) throw new Error(`commit: expected 202, got ${commit.status} ${await commit.text()}`);
    await commit.body?.cancel();

    const job = await pollUntilDone(`${o.gatewayUrl}/api/imports/${created.id}`, auth, o.timeoutMs);
    const finishedAt = job.finishedAt ? Date.parse(job.finishedAt) : Date.now();
    rssResult = rss.stop();
    const after = await o.sampler?.sample();
    const [backlog] = await o.sql<{ n: number }[]>`select count(*)::int as n from crm.outbox where published_at is null`;

    const endToEndSeconds = (finishedAt - uploadStart) / 1000;
    const jobSeconds = (finishedAt - commitStart) / 1000;
    return {
      rows: o.rows,
      clients: clients.length,
      fileBytes: csv.length,
      copy,
      indexed,
      uploadSeconds,
      endToEndSeconds,
      jobSeconds,
      endToEndRowsPerS: job.processed / endToEndSeconds,
      jobRowsPerS: job.processed / jobSeconds,
      status: job.status,
      created: job.created,
      updated: job.updated,
      failed: job.failed,
      firstError: job.error ?? (job.errors[0] ? `row ${job.errors[0].row}: ${job.errors[0].message}` : null),
      rss: rssResult,
      outboxBacklog: backlog?.n ?? 0,
      cpu: before && after ? scaleCpu(cpuBetween(before, after), 1000 / o.rows) : null,
    };
  } finally {
    if (!rssResult) rss.stop();
  }
}

async function pollUntilDone(url: string, headers: Record<string, string>, timeoutMs: number): Promise<ImportJob> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await getJson<ImportJob>(url, headers);
    if (job.status === 'completed' || job.status === 'failed') return job;
    if (Date.now() > deadline) throw new Error(`import: still ${job.status} after ${timeoutMs / 1000} s (${job.processed} of ${job.total} rows)`);
    await sleep(250);
  }
}
