import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Sql } from '@atelier/platform';

export interface Rate {
  seconds: number;
  rowsPerS: number;
}

export interface Baselines {
  /** `COPY … FROM STDIN` of the file into a temp table of seven text columns: the target's yardstick. */
  copy: Rate;
  /**
   * The faithful baseline: the same rows, linked to their clients, in one INSERT … SELECT into a
   * logged scratch table `LIKE crm.contacts INCLUDING ALL` — the generated search key computed and
   * every index paid (the agency search-grams GIN over that key, the one-primary unique index, the
   * name and email btrees): what storing them costs at least, before any validation, matching,
   * events or progress. (`INCLUDING DEFAULTS INCLUDING INDEXES`, the old baseline, copies no
   * generated column, so its search index indexed nothing.)
   */
  indexed: Rate;
}

/** Both on one reserved owner connection, the scratch schema dropped afterwards. */
export async function loadBaselines(sql: Sql, agencyId: string, csv: Buffer, rows: number): Promise<Baselines> {
  const conn = await sql.reserve();
  try {
    await conn`create temp table bench_copy (client_name text, client_email text, first_name text, last_name text, email text, phone text, title text)`;
    let started = performance.now();
    const writable = await conn`copy bench_copy from stdin with (format csv, header true)`.writable();
    await pipeline(Readable.from(pieces(csv, 64 * 1024)), writable);
    const copySeconds = (performance.now() - started) / 1000;
    const [count] = await conn<{ n: number }[]>`select count(*)::int as n from bench_copy`;
    if (count?.n !== rows) throw new Error(`COPY loaded ${count?.n} rows, expected ${rows}`);

    await conn`drop schema if exists bench_scratch cascade`;
    await conn`create schema bench_scratch`;
    await conn`create table bench_scratch.contacts (like crm.contacts including all)`;
    const [generated] = await conn<{ n: number }[]>`
      select count(*)::int as n from information_schema.columns
      where table_schema = 'bench_scratch' and table_name = 'contacts' and column_name = 'search_key' and is_generated = 'ALWAYS'`;
    if (generated?.n !== 1) throw new Error('the baseline table lacks the generated search key');
    started = performance.now();
    const inserted = await conn`
      insert into bench_scratch.contacts (agency_id, client_id, first_name, last_name, email, phone, title)
      select c.agency_id, c.id, b.first_name, b.last_name, b.email, b.phone, b.title
      from bench_copy b join crm.clients c on c.agency_id = ${agencyId} and c.deleted_at is null and c.email = b.client_email`;
    const indexedSeconds = (performance.now() - started) / 1000;
    if (inserted.count !== rows) throw new Error(`the indexed insert stored ${inserted.count} rows, expected ${rows}`);
    await conn`drop schema bench_scratch cascade`;
    await conn`drop table bench_copy`;
    return { copy: { seconds: copySeconds, rowsPerS: rows / copySeconds }, indexed: { seconds: indexedSeconds, rowsPerS: rows / indexedSeconds } };
  } finally {
    conn.release();
  }
}

function* pieces(data: Buffer, size: number): Generator<Buffer> {
  for (let at = 0; at < data.length; at += size) yield data.subarray(at, at + size);
}
