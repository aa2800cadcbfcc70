import { createTestDatabase, fileClient, sampleFiles, TEST_BLOB_GRACE_MS, testEnv, testNamespace, type TestDatabase, type TestPrincipal } from '@atelier/platform/testing';
import { loadCrmConfig } from '../src/config.js';
import { buildCrmService } from '../src/crm-service.js';
import { crmMigrations, type CrmHarness } from './crm-harness.js';

/** crm with extra environment (blob store, limits) and blobs collected without the grace period. */
export async function startCrmForAttachments(env: Record<string, string> = {}, db?: TestDatabase): Promise<CrmHarness> {
  const database = db ?? (await createTestDatabase({ crm: crmMigrations }));
  const namespace = testNamespace();
  const service = buildCrmService(loadCrmConfig(testEnv('crm', database, namespace, env)), { jobRunner: { pollMs: 50 }, blobs: { graceMs: TEST_BLOB_GRACE_MS } });
  const server = await service.start();
  return { db: database, service, url: server.url, namespace };
}

export const authHeader = (who: TestPrincipal) => fileClient('', 'crm').authHeader(who);
export const uploadAttachment = (baseUrl: string, who: TestPrincipal, path: string, file: Buffer | Blob, fileName: string, declaredType?: string) =>
  fileClient(baseUrl, 'crm').upload(who, path, file, fileName, declaredType);
export const download = (baseUrl: string, who: TestPrincipal, id: string, query = '') => fileClient(baseUrl, 'crm').download(who, id, query);

export const { png: PNG, pdf: PDF, html: HTML, svg: SVG } = sampleFiles;
