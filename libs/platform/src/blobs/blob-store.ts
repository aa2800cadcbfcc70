import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { tenantTx, type TenantTx } from '../db/tenant-tx.js';
import type { TransactionJob } from '../jobs/job-definitions.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { PostgresBlobBackend, S3BlobBackend, type BlobBackend } from './blob-backends.js';
import type { BlobConfig } from './blob-config.js';
import { BlobMeter } from './blob-meter.js';
import type { BlobBackendName } from './blob-tables.js';
import { sniffContentType } from './sniff.js';

export interface BlobInfo {
  id: string;
  agencyId: string;
  backend: BlobBackendName;
  size: number;
  /** Hex SHA-256 of the content. */
  sha256: string;
  /** Sniffed from the bytes (`sniffContentType`). */
  contentType: string;
  createdAt: Date;
}

/**
 * A column that holds blob ids: a blob is kept while a live row of it names the blob. `live`
 * is the SQL condition of a live row (`deleted_at is null`), written by the service, never input.
 */
export interface BlobReference {
  table: string;
  column: string;
  live?: string;
}

export interface BlobTracking {
  references: BlobReference[];
  /** A stored blob nothing names yet is kept this long (its row is written just after the upload). Default 10 minutes. */
  graceMs?: number;
  /** A blob whose upload never finished (its process died) is collected after this. Default 24 hours. */
  abandonMs?: number;
}

export const BLOB_COLLECT_JOB = 'kit.blobs.collect';
const COLLECT_BATCH = 200;
const HOUR_MS = 3_600_000;

type BlobRow = {
  id: string;
  agency_id: string;
  backend: BlobBackendName;
  size: string | number;
  sha256: string;
  content_type: string;
  created_at: Date | string;
};

const toInfo = (r: BlobRow): BlobInfo => ({
  id: r.id,
  agencyId: r.agency_id,
  backend: r.backend,
  size: Number(r.size),
  sha256: r.sha256,
  contentType: r.content_type,
  createdAt: new Date(r.created_at),
});

/** A uuid that is the same for the same text: one collection job per agency and hour, however many uploads. */
const stableUuid = (text: string): string => {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

/**
 * The kit's blob store: put a stream, get a stream, head, delete. Every blob is a tenant row of
 * `<schema>.blobs` (agency, size, SHA-256, sniffed type) under forced RLS; the bytes go to the
 * configured backend (Postgres chunks, or an S3-compatible bucket). Content streams in and out:
 * a 100 MB upload holds about one piece (Postgres) or two parts (S3) in memory.
 *
 * Blobs are deleted by the kit job `kit.blobs.collect` once no live row of the service's declared
 * references names them (`track`): callers drop their reference and call `release`.
 */
export class BlobStore {
  private readonly backends = new Map<BlobBackendName, BlobBackend>();
  private readonly active: BlobBackend;
  private tracking: Required<BlobTracking> | null = null;
  private readonly blobs;

  constructor(
    private readonly db: Db,
    private readonly schema: string,
    config: BlobConfig,
    private readonly jobs: JobRunner,
  ) {
    this.blobs = sql`${sql.identifier(schema)}.blobs`;
    const pg = new PostgresBlobBackend(db, schema);
    this.backends.set('postgres', pg);
    if (config.BLOB_STORE === 's3') this.backends.set('s3', new S3BlobBackend(config, `${config.S3_KEY_PREFIX}${schema}/`));
    this.active = this.backends.get(config.BLOB_STORE) ?? pg;
  }

  get backendName(): BlobBackendName {
    return this.active.name;
  }

  /** Declares what keeps blobs alive; the service registers `collector` with its job runner. */
  track(tracking: BlobTracking): this {
    this.tracking = { graceMs: 10 * 60_000, abandonMs: 24 * HOUR_MS, ...tracking };
    return this;
  }

  /**
   * Stores a stream as a new blob of the agency: at most `maxBytes` (else `BlobTooLarge`, and
   * nothing is kept). The row exists from the start (`writing`), with a collection job queued for
   * after `abandonMs`, so an upload cut off by a crash is cleaned up too.
   */
  async put(agencyId: string, body: Readable, options: { maxBytes: number }): Promise<BlobInfo> {
    const tracking = this.requireTracking();
    const id = randomUUID();
    const backend = this.active;
    const collectAt = Math.ceil((Date.now() + tracking.abandonMs) / HOUR_MS) * HOUR_MS;
    await tenantTx(this.db, agencyId, async (tx) => {
      await tx.execute(sql`insert into ${this.blobs} (id, agency_id, status, backend) values (${id}, ${agencyId}, 'writing', ${backend.name})`);
      await this.jobs.enqueue(tx, { id: stableUuid(`${this.schema}:${agencyId}:${collectAt}`), name: BLOB_COLLECT_JOB, agencyId, runAt: new Date(collectAt) });
    });
    const meter = new BlobMeter(options.maxBytes);
    body.once('error', (err) => meter.destroy(err));
    try {
      await backend.write(agencyId, id, body.pipe(meter));
      const contentType = await sniffContentType(meter.head);
      const rows = await tenantTx(this.db, agencyId, (tx) =>
        tx.execute<BlobRow>(sql`
          update ${this.blobs} set status = 'stored', size = ${meter.bytes}, sha256 = ${meter.digest()}, content_type = ${contentType}, stored_at = now()
          where id = ${id} returning *`),
      );
      return toInfo(rows[0] as BlobRow);
    } catch (err) {
      body.unpipe(meter);
      await this.delete(agencyId, id).catch(() => {});
      throw err;
    }
  }

  /** A stored blob's row; null for an unknown id, another agency's, or one still being written. */
  async head(agencyId: string, id: string): Promise<BlobInfo | null> {
    const rows = await tenantTx(this.db, agencyId, (tx) => tx.execute<BlobRow>(sql`select * from ${this.blobs} where id = ${id} and status = 'stored'`));
    return rows[0] ? toInfo(rows[0]) : null;
  }

  /** A stored blob's row and its content, streamed; null like `head`. */
  async get(agencyId: string, id: string): Promise<{ info: BlobInfo; body: Readable } | null> {
    const info = await this.head(agencyId, id);
    if (!info) return null;
    return { info, body: this.backendOf(info.backend).read(agencyId, id, info.size) };
  }

  /** Deletes a blob now, content and row, whatever references it (the caller knows none does). */
  async delete(agencyId: string, id: string): Promise<boolean> {
    return tenantTx(this.db, agencyId, async (tx) => {
      const rows = await tx.execute<{ backend: BlobBackendName }>(sql`delete from ${this.blobs} where id = ${id} returning backend`);
      const row = rows[0];
      if (!row) return false;
      await this.backendOf(row.backend).remove(tx, agencyId, id);
      return true;
    });
  }

  /** In the transaction that dropped references to blobs: queue their collection. */
  async release(tx: TenantTx, agencyId: string): Promise<void> {
    this.requireTracking();
    await this.jobs.enqueue(tx, { name: BLOB_COLLECT_JOB, agencyId });
  }

  /** Bytes the agency's stored blobs take (what the backend holds for it). */
  async usage(tx: TenantTx): Promise<number> {
    const rows = await tx.execute<{ n: string | null }>(sql`select coalesce(sum(size), 0) as n from ${this.blobs}`);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * The collection job: deletes the agency's blobs that no live reference names, once past the
   * grace (stored) or the abandon time (never finished). Rows are locked `SKIP LOCKED`, so two
   * runs share the work; content goes before the row commits, and a run that fails after deleting
   * content is retried and finds nothing more to remove (deleting an object twice is harmless).
   */
  get collector(): TransactionJob {
    return {
      name: BLOB_COLLECT_JOB,
      maxAttempts: 10,
      run: async (tx, job) => {
        const tracking = this.requireTracking();
        const agencyId = job.agencyId;
        if (!agencyId) return;
        const unreferenced = tracking.references.map((r) => {
          const table = sql.raw(r.table.split('.').map((p) => `"${p.replace(/"/g, '""')}"`).join('.'));
          const column = sql.identifier(r.column);
          return sql` and not exists (select 1 from ${table} ref where ref.${column} = b.id${r.live ? sql.raw(` and (${r.live})`) : sql``})`;
        });
        const grace = sql`${`${tracking.graceMs} milliseconds`}::interval`;
        const abandon = sql`${`${tracking.abandonMs} milliseconds`}::interval`;
        const rows = await tx.execute<{ id: string; backend: BlobBackendName }>(sql`
          select b.id, b.backend from ${this.blobs} b
          where ((b.status = 'stored' and b.stored_at <= now() - ${grace}) or b.created_at <= now() - ${abandon})${sql.join(unreferenced, sql``)}
          order by b.created_at
          limit ${COLLECT_BATCH}
          for update of b skip locked`);
        for (const row of rows) {
          await this.backendOf(row.backend).remove(tx, agencyId, row.id);
          await tx.execute(sql`delete from ${this.blobs} where id = ${row.id}`);
        }
        if (rows.length === COLLECT_BATCH) await this.jobs.enqueue(tx, { name: BLOB_COLLECT_JOB, agencyId });
        // An unreferenced blob still in its grace (its row may be on the way) is looked at again
        // when the grace ends, not at the next hourly sweep: released space comes back promptly.
        const pending = await tx.execute<{ due: Date | string | null }>(sql`
          select min(b.stored_at) + ${grace} as due from ${this.blobs} b
          where b.status = 'stored' and b.stored_at > now() - ${grace}${sql.join(unreferenced, sql``)}`);
        const due = pending[0]?.due;
        if (due) {
          const runAt = new Date(Math.ceil(new Date(due).getTime() / 1000) * 1000);
          await this.jobs.enqueue(tx, { id: stableUuid(`${this.schema}:${agencyId}:grace:${runAt.getTime()}`), name: BLOB_COLLECT_JOB, agencyId, runAt });
        }
      },
    };
  }

  close(): void {
    const s3 = this.backends.get('s3');
    if (s3 instanceof S3BlobBackend) s3.close();
  }

  private backendOf(name: BlobBackendName): BlobBackend {
    const backend = this.backends.get(name);
    if (!backend) throw new Error(`blob backend ${name} is not configured (BLOB_STORE), but blobs are stored there`);
    return backend;
  }

  private requireTracking(): Required<BlobTracking> {
    if (!this.tracking) throw new Error(`the blob store of ${this.schema} tracks no references: declare \`blobs\` in the service definition`);
    return this.tracking;
  }
}
