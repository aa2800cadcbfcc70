import { createHash, randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newPrincipal, serviceClient, startTestS3Server, stopTestService, waitFor, type TestS3Server } from '@atelier/platform/testing';
import type { CrmHarness } from './crm-harness.js';
import { download, PNG, startCrmForAttachments, uploadAttachment } from './attachment-helpers.js';

let h: CrmHarness;
let s3: TestS3Server;
let sql: postgres.Sql;
const owner = newPrincipal('owner');

beforeAll(async () => {
  s3 = await startTestS3Server();
  console.info(`attachments-s3.test: crm's blob store is ${s3.kind} at ${s3.endpoint}`);
  h = await startCrmForAttachments({ ...s3.env, S3_KEY_PREFIX: 'crm-test/' });
  sql = postgres(h.db.ownerUrl, { max: 2, onnotice: () => {} });
}, 120_000);
afterAll(async () => {
  await sql?.end();
  if (h) {
    await stopTestService(h.service);
    await h.db.drop();
  }
  await s3?.close();
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('client attachments on the S3 blob store', () => {
  it('round-trips a file through the bucket, records it as an s3 blob, and the kit job deletes the object after the client is deleted', async () => {
    expect(h.service.ctx.blobs.backendName).toBe('s3');
    const api = serviceClient(h.url, owner);
    const clientId = (await api('POST', '/api/clients', { name: 'S3 Co' })).body.id as string;
    const bytes = Buffer.concat([PNG, randomBytes(7 * 1024 * 1024)]);
    const up = await uploadAttachment(h.url, owner, `/api/clients/${clientId}/attachments`, bytes, 'big.png');
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ size: bytes.length, sha256: sha(bytes), contentType: 'image/png' });
    const [blob] = await sql<{ backend: string; id: string }[]>`select b.backend, b.id from crm.blobs b join crm.attachments a on a.blob_id = b.id where a.id = ${up.body.id}`;
    expect(blob?.backend).toBe('s3');
    expect(Number((await sql<{ n: string }[]>`select count(*) as n from crm.blob_chunks where blob_id = ${blob!.id}`)[0]?.n)).toBe(0);
    const key = `crm-test/crm/${owner.agencyId}/${blob!.id}`;
    expect(await s3.keys('crm-test/')).toEqual([key]);
    const got = await download(h.url, owner, up.body.id);
    expect(sha(got.bytes)).toBe(sha(bytes));

    expect((await api('DELETE', `/api/clients/${clientId}`)).status).toBe(204);
    await waitFor(async () => ((await sql`select 1 from crm.blobs where id = ${blob!.id}`).length === 0 ? true : undefined), 20_000);
    expect(await s3.keys('crm-test/')).toEqual([]);
  });
});
