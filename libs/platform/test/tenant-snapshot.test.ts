import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, withTenant, withTenantSnapshot, type Database, type Tx } from '../src/index.js';
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
async function countAroundACommit(run: typeof withTenant): Promise<[number, number]> {
  return run(reader.db, randomUUID(), async (tx) => {
    const before = await countRows(tx);
    await writer`insert into snapshot_probe (n) values (1)`;
    return [before, await countRows(tx)];
  });
}

describe('withTenantSnapshot', () => {
  it('gives every statement of the transaction the same snapshot', async () => {
    const [before, after] = await countAroundACommit(withTenantSnapshot);
    expect(after).toBe(before);
  });

  it('is needed: under withTenant (READ COMMITTED) the second statement sees the commit', async () => {
    const [before, after] = await countAroundACommit(withTenant);
    expect(after).toBe(before + 1);
  });

  it('is read only', async () => {
    // 25006: read_only_sql_transaction.
    await expect(withTenantSnapshot(reader.db, randomUUID(), (tx) => tx.execute(sql`insert into snapshot_probe (n) values (2)`))).rejects.toMatchObject({
      cause: { code: '25006' },
    });
  });
});
