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
  /** A smaller import first, in the same run: the rate should not fall as the file grows. */
  smallRows: number;
  clients: number;
  timeoutMs: number;
  sampler?: CpuSampler;
}

/** Consumers of the import's bulk events that "end to end" waits for: the CRM timeline and billing's contacts replica. */
export const IMPORT_CONSUMERS = [
  { schema: 'crm', consumer: 'crm.timeline' },
  { schema: 'billing', consumer: 'billing.contact-replica' },
] as const;

export interface ImportBenchResult {
  rows: number;
  clients: number;
  fileBytes: number;
  /** Raw COPY of the same file, and the same rows inserted set-based into a copy of crm.contacts. */
  copy: Baselines['copy'];
  indexed: Baselines['indexed'];
  /** Upload start -> 201 (the file streamed, stored and scanned). */
  uploadSeconds: number;
  /** Upload start -> the job's finishedAt and every one of its events applied by each of IMPORT_CONSUMERS. */
  endToEndSeconds: number;
  /** The job's finishedAt -> the last of its events applied by the consumers. */
  consumedAfterSeconds: number;
  /** Bulk events the job published, each applied by every consumer. */
  events: number;
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
  /** crm.outbox rows not yet relayed when the job finished (one bulk event per committed batch). */
  outboxBacklog: number;
  /** CPU ms per 1,000 rows, commit -> consumed. */
  cpu: CpuTimes | null;
}

export interface ImportBenchResults {
  small: ImportBenchResult;
  large: ImportBenchResult;
}

/** The small import, then the large one, each beside its own baselines. */
export async function runImportBench(o: ImportBenchOptions): Promise<ImportBenchResults> {
  const small = await runImportRound(o, o.smallRows, 'small');
  const large = await runImportRound(o, o.rows, 'large');
  return { small, large };
}

/**
 * The same generated contacts file twice: first a raw COPY into a scratch table (the floor of what
 * loading these rows costs), then through the product: upload via the gateway, commit with the
 * suggested mapping, poll until the background job is done; RSS of crm-service sampled throughout.
 */
async function runImportRound(o: ImportBenchOptions, rows: number, tag: string): Promise<ImportBenchResult> {
  const clients = await pickClients(o.sql, o.agencyId, o.clients);
  const csv = contactsCsv(clients, rows, tag);
  // First, on a quiet system: the import leaves its events relaying for a while afterwards.
  const { copy, indexed } = await loadBaselines(o.sql, o.agencyId, csv, rows);

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
    const [backlog] = await o.sql<{ n: number }[]>`select count(*)::int as n from crm.outbox where published_at is null`;
    const consumed = await waitUntilConsumed(o.sql, created.id, o.timeoutMs);
    rssResult = rss.stop();
    const after = await o.sampler?.sample();

    const doneAt = Math.max(finishedAt, consumed.lastAt);
    const endToEndSeconds = (doneAt - uploadStart) / 1000;
    const jobSeconds = (finishedAt - commitStart) / 1000;
    return {
      rows,
      clients: clients.length,
      fileBytes: csv.length,
      copy,
      indexed,
      uploadSeconds,
      endToEndSeconds,
      consumedAfterSeconds: Math.max(0, consumed.lastAt - finishedAt) / 1000,
      events: consumed.events,
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
      cpu: before && after ? scaleCpu(cpuBetween(before, after), 1000 / rows) : null,
    };
  } finally {
    if (!rssResult) rss.stop();
  }
}

/**
 * Waits until every bulk event of the import sits in the inbox of each of IMPORT_CONSUMERS (the
 * handler's transaction writes it, so it means applied) and returns when the last one was.
 */
async function waitUntilConsumed(sql: Sql, importId: string, timeoutMs: number): Promise<{ events: number; lastAt: number }> {
  const deadline = Date.now() + timeoutMs;
  // The job has finished, so all its events are in the outbox: find them once. Polling with this
  // filter would detoast every bulk envelope (hundreds of KB each) four times a second, taking the
  // CPU the consumers being measured need.
  const ids = (
    await sql<{ id: string }[]>`
      select id from crm.outbox where name = 'crm.contact.imported.v1' and envelope->'payload'->>'importId' = ${importId}`
  ).map((r) => r.id);
  const events = ids.length;
  for (;;) {
    const applied = await Promise.all(
      IMPORT_CONSUMERS.map(async ({ schema, consumer }) => {
        const [row] = await sql<{ n: number; last: number | null }[]>`
          select count(*)::int as n, (extract(epoch from max(i.processed_at)) * 1000)::float8 as last
          from ${sql(schema)}.inbox i
          where i.consumer = ${consumer} and i.event_id = any(${ids}::uuid[])`;
        return { n: row?.n ?? 0, last: Number(row?.last ?? 0) };
      }),
    );
    if (events > 0 && applied.every((a) => a.n === events)) return { events, lastAt: Math.max(...applied.map((a) => a.last)) };
    if (Date.now() > deadline) throw new Error(`import: ${applied.map((a, i) => `${IMPORT_CONSUMERS[i]?.consumer} applied ${a.n}`).join(', ')} of ${events} events after ${timeoutMs / 1000} s`);
    await sleep(250);
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
