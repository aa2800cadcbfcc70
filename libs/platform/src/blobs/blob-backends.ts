import { Readable } from 'node:stream';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { tenantTx, type TenantTx } from '../db/tenant-tx.js';
import type { BlobConfig } from './blob-config.js';
import type { BlobBackendName } from './blob-tables.js';

/** Where the bytes of a blob live; the blob's row (size, digest, status) is the store's, in Postgres. */
export interface BlobBackend {
  readonly name: BlobBackendName;
  /** Stores the whole stream as the blob's content; resolves once all of it is durable. */
  write(agencyId: string, blobId: string, body: Readable): Promise<void>;
  /** The content (of `size` bytes), streamed. */
  read(agencyId: string, blobId: string, size: number): Readable;
  /** Drops the content (nothing if there is none), inside the transaction that deletes the row. */
  remove(tx: TenantTx, agencyId: string, blobId: string): Promise<void>;
}

/** Pieces of the Postgres backend: 1 MiB, one row each. */
export const PG_CHUNK_BYTES = 1024 * 1024;

/**
 * Content in `<schema>.blob_chunks`: one short tenant transaction per 1 MiB piece while writing
 * and while reading, so an upload or a slow download never holds a connection for its duration
 * and at most one piece is in memory.
 */
export class PostgresBlobBackend implements BlobBackend {
  readonly name = 'postgres' as const;
  private readonly table;

  constructor(
    private readonly db: Db,
    schema: string,
  ) {
    this.table = sql`${sql.identifier(schema)}.blob_chunks`;
  }

  async write(agencyId: string, blobId: string, body: Readable): Promise<void> {
    let seq = 0;
    let pending: Buffer[] = [];
    let pendingLength = 0;
    const flush = async (data: Buffer) => {
      const n = seq++;
      await tenantTx(this.db, agencyId, (tx) => tx.execute(sql`insert into ${this.table} (blob_id, seq, agency_id, data) values (${blobId}, ${n}, ${agencyId}, ${data})`));
    };
    for await (const chunk of body as AsyncIterable<Buffer>) {
      pending.push(chunk);
      pendingLength += chunk.length;
      while (pendingLength >= PG_CHUNK_BYTES) {
        const all = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingLength);
        await flush(all.subarray(0, PG_CHUNK_BYTES));
        const rest = all.subarray(PG_CHUNK_BYTES);
        pending = rest.length ? [Buffer.from(rest)] : [];
        pendingLength = rest.length;
      }
    }
    if (pendingLength > 0) await flush(Buffer.concat(pending, pendingLength));
  }

  read(agencyId: string, blobId: string, size: number): Readable {
    const { db, table } = this;
    // The count is known, so the stream ends with its last piece (no query to find there is none).
    const count = Math.ceil(size / PG_CHUNK_BYTES);
    async function* pieces() {
      for (let seq = 0; seq < count; seq++) {
        const rows = await tenantTx(db, agencyId, (tx) => tx.execute<{ data: Buffer }>(sql`select data from ${table} where blob_id = ${blobId} and seq = ${seq}`));
        const row = rows[0];
        if (!row) throw new Error(`blob ${blobId}: piece ${seq} of ${count} is missing`);
        yield row.data;
      }
    }
    // One piece ahead at most: the next is read only when the consumer took the last.
    return Readable.from(pieces(), { objectMode: false, highWaterMark: 1 });
  }

  async remove(tx: TenantTx, _agencyId: string, blobId: string): Promise<void> {
    await tx.execute(sql`delete from ${this.table} where blob_id = ${blobId}`);
  }
}

/** Multipart parts of the S3 upload: two in flight at most, so an upload holds about 10 MB. */
const S3_PART_BYTES = 5 * 1024 * 1024;

/**
 * Content as objects `<prefix><schema>/<agency>/<blob>` of an S3-compatible bucket, written with
 * the SDK's streaming multipart upload (lib-storage); a failed upload aborts its parts.
 */
export class S3BlobBackend implements BlobBackend {
  readonly name = 's3' as const;
  readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    config: BlobConfig,
    private readonly keyPrefix: string,
  ) {
    if (!config.S3_BUCKET) throw new Error('S3_BUCKET is required for the s3 blob store');
    this.bucket = config.S3_BUCKET;
    this.client = new S3Client({
      region: config.S3_REGION,
      ...(config.S3_ENDPOINT ? { endpoint: config.S3_ENDPOINT } : {}),
      forcePathStyle: config.S3_FORCE_PATH_STYLE ?? !!config.S3_ENDPOINT,
      // Checksums only where the API requires them: the SDK's default (CRC32 trailers in
      // aws-chunked bodies) is not understood by every S3-compatible store.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY ? { credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY } } : {}),
    });
  }

  key(agencyId: string, blobId: string): string {
    return `${this.keyPrefix}${agencyId}/${blobId}`;
  }

  async write(agencyId: string, blobId: string, body: Readable): Promise<void> {
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key: this.key(agencyId, blobId), Body: body }, partSize: S3_PART_BYTES, queueSize: 2 });
    await upload.done();
  }

  read(agencyId: string, blobId: string): Readable {
    const { client, bucket } = this;
    const key = this.key(agencyId, blobId);
    async function* body() {
      const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!res.Body) return;
      yield* res.Body as Readable;
    }
    return Readable.from(body(), { objectMode: false, highWaterMark: 1 });
  }

  async remove(_tx: TenantTx, agencyId: string, blobId: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(agencyId, blobId) }));
    } catch (err) {
      if (!(err instanceof NoSuchKey)) throw err;
    }
  }

  close(): void {
    this.client.destroy();
  }
}
