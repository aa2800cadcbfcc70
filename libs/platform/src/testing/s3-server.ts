import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TestS3Server {
  /** Which S3-compatible server runs, for the test's own report. */
  kind: 's3rver';
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The env of a service using it: `BLOB_STORE=s3` and the S3_* variables. */
  env: Record<string, string>;
  /** The keys in the bucket under a prefix (read with the SDK, signed). */
  keys(prefix?: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A local S3-compatible server for tests (s3rver from npm: it speaks the S3 REST API, multipart
 * uploads included, on a temporary directory), on a free port of its own choosing. It needs no
 * Docker, so it runs wherever the tests do; a failure to start fails the test that asked for it.
 */
export async function startTestS3Server(bucket = 'atelier-test'): Promise<TestS3Server> {
  // Loaded only by the tests that start it (it brings koa and friends).
  const { default: S3rver } = await import('s3rver');
  const directory = await mkdtemp(path.join(os.tmpdir(), 'atelier-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }], vhostBuckets: false });
  let address;
  try {
    address = await server.run();
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw new Error(`the local S3 server (s3rver) did not start: ${(err as Error).message}`, { cause: err });
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  // s3rver's fixed development credentials.
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  return {
    kind: 's3rver',
    endpoint,
    bucket,
    accessKeyId,
    secretAccessKey,
    env: { BLOB_STORE: 's3', S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey, S3_FORCE_PATH_STYLE: 'true' },
    keys: async (prefix = '') => {
      const { ListObjectsV2Command, S3Client } = await import('@aws-sdk/client-s3');
      const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
      try {
        const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        return (listed.Contents ?? []).map((o) => o.Key ?? '');
      } finally {
        client.destroy();
      }
    },
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
