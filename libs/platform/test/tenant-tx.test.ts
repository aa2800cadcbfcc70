import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, tenantTx, type Database, type TenantMode, type Tx } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

/**
 * A list answers with a page and a total from two statements; rows committed by someone else
 * between them (the timeline consumer, say) must not show in one and not the other. The commit
 * is placed between the two statements on purpose, where in real traffic it lands by chance.
 */

let db: TestDatabase;
let reader: Database;
let writer: postgres.Sql;

beforeAll(async () => {
  db = await createTestDatabase({});
  writer = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  await writer`create table snapshot_probe (n int not null)`;
  reader = createDatabase(db.adminUrl, { max: 1 });
}, 60_000);

afterAll(async () => {
  await reader?.close();
  await writer?.end();
  await db?.drop();
});

const countRows = async (tx: Tx) => Number((await tx.execute<{ n: string }>(sql`select count(*) as n from snapshot_probe`))[0]?.n);

/** Counts, lets another connection commit a row, counts again, all inside one `run` transaction. */
async function countAroundACommit(mode: TenantMode): Promise<[number, number]> {
  return tenantTx(
    reader.db,
    randomUUID(),
    async (tx) => {
      const before = await countRows(tx);
      await writer`insert into snapshot_probe (n) values (1)`;
      return [before, await countRows(tx)] as [number, number];
    },
    { mode },
  );
}

describe("tenantTx mode 'snapshot'", () => {
  it('gives every statement of the transaction the same snapshot', async () => {
    const [before, after] = await countAroundACommit('snapshot');
    expect(after).toBe(before);
  });

  it("is needed: in mode 'write' (READ COMMITTED) the second statement sees the commit", async () => {
    const [before, after] = await countAroundACommit('write');
    expect(after).toBe(before + 1);
  });

  it('is read only', async () => {
    // 25006: read_only_sql_transaction.
    await expect(tenantTx(reader.db, randomUUID(), (tx) => tx.execute(sql`insert into snapshot_probe (n) values (2)`), { mode: 'snapshot' })).rejects.toMatchObject({
      cause: { code: '25006' },
    });
  });
});

const agencySetting = async (tx: Tx) => (await tx.execute<{ v: string | null }>(sql`select current_setting('app.agency_id', true) as v`))[0]?.v ?? null;

describe('tenantTx agency', () => {
  it('pins the agency before the callback runs', async () => {
    const agency = randomUUID();
    const seen = await tenantTx(reader.db, agency, async (tx) => ({ setting: await agencySetting(tx), agencyId: tx.agencyId }));
    expect(seen).toEqual({ setting: agency, agencyId: agency });
  });

  it('with null, pins nothing until pinAgency (an agency learnt midway), then pins it for the rest of the transaction', async () => {
    const agency = randomUUID();
    const seen = await tenantTx(reader.db, null, async (tx) => {
      const before = { setting: await agencySetting(tx), agencyId: tx.agencyId };
      await tx.pinAgency(agency);
      return { before, after: { setting: await agencySetting(tx), agencyId: tx.agencyId } };
    });
    expect(seen.before.setting ?? '').toBe('');
    expect(seen.before.agencyId).toBeNull();
    expect(seen.after).toEqual({ setting: agency, agencyId: agency });
  });

  it('pins the agency ahead of a savepoint the callback opens at once, so rolling back to it keeps the pin', async () => {
    // On a fresh connection the pin is not prepared yet: the case where a pipelined pin once went out after the savepoint.
    const fresh = createDatabase(db.adminUrl, { max: 1 });
    try {
      const agency = randomUUID();
      const seen = await tenantTx(fresh.db, agency, async (tx) => {
        await tx.transaction(async (savepoint) => {
          await savepoint.execute(sql`select 1`);
          savepoint.rollback();
        }).catch(() => {});
        return agencySetting(tx);
      });
      expect(seen).toBe(agency);
    } finally {
      await fresh.close();
    }
  });

  it("runs mode 'snapshot' as one BEGIN (no SET TRANSACTION after it) and still pins", async () => {
    const agency = randomUUID();
    const seen = await tenantTx(reader.db, agency, async (tx) => (await tx.execute<{ iso: string; ro: string; v: string }>(
      sql`select current_setting('transaction_isolation') as iso, current_setting('transaction_read_only') as ro, current_setting('app.agency_id', true) as v`,
    ))[0], { mode: 'snapshot' });
    expect(seen).toEqual({ iso: 'repeatable read', ro: 'on', v: agency });
  });

  it('does not leak the agency to the next transaction on the connection', async () => {
    await tenantTx(reader.db, randomUUID(), async () => {});
    const next = await reader.db.transaction((tx) => agencySetting(tx));
    expect(next ?? '').toBe('');
  });
});

describe('statements through the kit', () => {
  it('are named (prepared once per connection), drizzle statements with parameters included', async () => {
    const prepared = await tenantTx(reader.db, randomUUID(), async (tx) => {
      await tx.execute(sql`select ${41}::int + 1 as answer`);
      return tx.execute<{ statement: string }>(sql`select statement from pg_prepared_statements`);
    });
    const statements = prepared.map((r) => r.statement);
    expect(statements).toContain("select set_config('app.agency_id', $1, true)");
    expect(statements).toContain('select $1::int + 1 as answer');
  });

  it('stay unnamed beyond 32 parameters, whose text varies with the data', async () => {
    const values = Array.from({ length: 40 }, (_, i) => sql`${i}::int`);
    const prepared = await tenantTx(reader.db, randomUUID(), async (tx) => {
      await tx.execute(sql`select greatest(${sql.join(values, sql`, `)}) as top`);
      return tx.execute<{ statement: string }>(sql`select statement from pg_prepared_statements where statement like 'select greatest(%'`);
    });
    expect(prepared).toEqual([]);
  });
});

describe('tenantTx cursor', () => {
  it('streams a parameterised query in steps of the given size', async () => {
    const steps = await tenantTx(reader.db, randomUUID(), async (tx) => {
      const sizes: number[] = [];
      let sum = 0;
      for await (const rows of tx.cursor<{ n: number }>(sql`select g::int as n from generate_series(1, ${2_500}::int) g`, 1_000)) {
        sizes.push(rows.length);
        for (const r of rows) sum += r.n;
      }
      return { sizes, sum };
    });
    expect(steps).toEqual({ sizes: [1_000, 1_000, 500], sum: (2_500 * 2_501) / 2 });
  });

  it('closes the cursor when the reader stops early, so the transaction carries on', async () => {
    const after = await tenantTx(reader.db, randomUUID(), async (tx) => {
      for await (const rows of tx.cursor<{ n: number }>(sql`select g::int as n from generate_series(1, 10) g`, 3)) {
        expect(rows).toHaveLength(3);
        break;
      }
      return (await tx.execute<{ open: string }>(sql`select count(*)::text as open from pg_cursors where name like 'tenant_cursor_%'`))[0]?.open;
    });
    expect(after).toBe('0');
  });
});
