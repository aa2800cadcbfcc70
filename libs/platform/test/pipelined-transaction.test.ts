import net from 'node:net';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createDatabase, pipelinedTransaction, sendUnawaited, tenantTx, type Database } from '../src/index.js';
import { createTestDatabase, type TestDatabase } from '../src/testing/index.js';

/**
 * The kit's transaction does not wait for BEGIN's answer; these pin down that it still keeps
 * `sql.begin`'s contract: commit, rollback on a throw, a failure of a statement nobody awaited,
 * savepoints, and a connection that dies mid-transaction.
 */

let db: TestDatabase;
let client: postgres.Sql;
let admin: postgres.Sql;

beforeAll(async () => {
  db = await createTestDatabase({});
  admin = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
  await admin`create table probe (n int primary key)`;
  // One connection: every test also shows the connection went back to the pool.
  client = postgres(db.adminUrl, { max: 1, onnotice: () => {} });
}, 60_000);

afterAll(async () => {
  await client?.end();
  await admin?.end();
  await db?.drop();
});

beforeEach(async () => {
  await admin`truncate probe`;
});

const rows = async () => (await admin<{ n: number }[]>`select n from probe order by n`).map((r) => r.n);

describe('pipelinedTransaction', () => {
  it('commits what the callback wrote and returns its result', async () => {
    const result = await pipelinedTransaction(client, '', async (tx) => {
      await tx.unsafe('insert into probe (n) values ($1)', [1]);
      const [inTx] = await tx.unsafe<{ n: number }[]>('select count(*)::int as n from probe');
      return inTx?.n;
    });
    expect(result).toBe(1);
    expect(await rows()).toEqual([1]);
  });

  it('really is a transaction: nothing is visible to others before COMMIT', async () => {
    await pipelinedTransaction(client, '', async (tx) => {
      await tx.unsafe('insert into probe (n) values (1)');
      expect(await rows()).toEqual([]);
    });
    expect(await rows()).toEqual([1]);
  });

  it('passes the options to BEGIN (a read-only transaction refuses a write)', async () => {
    await expect(pipelinedTransaction(client, 'read only', (tx) => tx.unsafe('insert into probe (n) values (1)'))).rejects.toMatchObject({ code: '25006' });
    expect(await rows()).toEqual([]);
  });

  it('rolls back and rethrows when the callback throws', async () => {
    const boom = new Error('boom');
    await expect(
      pipelinedTransaction(client, '', async (tx) => {
        await tx.unsafe('insert into probe (n) values (1)');
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await rows()).toEqual([]);
  });

  it('fails when a statement nobody awaited failed, and reports that failure rather than the aborted transaction', async () => {
    await expect(
      pipelinedTransaction(client, '', async (tx) => {
        void tx.unsafe('insert into probe (n) values (1), (1)').execute();
        await tx.unsafe('insert into probe (n) values (2)');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([]);
  });

  it('never reports success when the last statement, sent without awaiting, fails behind the COMMIT', async () => {
    await expect(
      pipelinedTransaction(client, '', async (tx) => {
        await tx.unsafe('insert into probe (n) values (1)');
        // Fails only once the server gets to it, after the callback has returned.
        // No parameters: the simple protocol, which takes two statements in one string.
        void tx.unsafe('select pg_sleep(0.05); insert into probe (n) values (1)').execute();
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([]);
  });

  it('rolls a failed savepoint back to where it began and commits the rest', async () => {
    await pipelinedTransaction(client, '', async (tx) => {
      await tx.unsafe('insert into probe (n) values (1)');
      await expect(
        tx.savepoint(async (sp) => {
          await sp.unsafe('insert into probe (n) values (2)');
          await sp.unsafe('insert into probe (n) values (1)');
        }),
      ).rejects.toMatchObject({ code: '23505' });
      await tx.savepoint((sp) => sp.unsafe('insert into probe (n) values (3)'));
    });
    expect(await rows()).toEqual([1, 3]);
  });

  it('fails a transaction whose connection died, commits nothing, and the pool goes on', async () => {
    let noticed!: () => void;
    const closed = new Promise<void>((resolve) => (noticed = resolve));
    const pool = postgres(db.adminUrl, { max: 2, onnotice: () => {}, onclose: () => noticed() });
    try {
      await expect(
        pipelinedTransaction(pool, '', async (tx) => {
          await tx.unsafe('insert into probe (n) values (1)');
          const [me] = await tx.unsafe<{ pid: number }[]>('select pg_backend_pid() as pid');
          await admin`select pg_terminate_backend(${me!.pid})`;
          // The transaction ends with the connection, not with whatever the callback waits for.
          await closed;
          await new Promise(() => {});
        }),
      ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      expect(await rows()).toEqual([]);
      await pipelinedTransaction(pool, '', (tx) => tx.unsafe('insert into probe (n) values (4)'));
      expect(await rows()).toEqual([4]);
    } finally {
      await pool.end();
    }
  });

  it('sends BEGIN with the first statement: one write to the server fewer than sql.begin', async () => {
    const body = (tx: postgres.TransactionSql) => tx.unsafe('insert into probe (n) values ($1) on conflict do nothing', [1], { prepare: true });
    const kit = await socketWrites((c) => pipelinedTransaction(c, '', body));
    const stock = await socketWrites((c) => c.begin(body));
    expect(stock - kit).toBe(1);
    expect(await rows()).toEqual([1]);
  });
});

describe('sendUnawaited in a tenantTx', () => {
  let database: Database;
  beforeAll(() => {
    database = createDatabase(db.adminUrl, { max: 1 });
  });
  afterAll(() => database?.close());

  it('commits a statement the use case did not wait for', async () => {
    await tenantTx(database.db, randomUUID(), async (tx) => {
      await sendUnawaited(tx, { execute: () => tx.execute(sql`insert into probe (n) values (1)`) });
    });
    expect(await rows()).toEqual([1]);
  });

  it('fails the transaction when the server refuses it, even as the last statement', async () => {
    await expect(
      tenantTx(database.db, randomUUID(), async (tx) => {
        await tx.execute(sql`insert into probe (n) values (1)`);
        await sendUnawaited(tx, { execute: () => tx.execute(sql`insert into probe (n) values (1)`) });
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await rows()).toEqual([]);
  });

  it('fails the transaction before its COMMIT when the statement could not even be sent', async () => {
    const unbuildable = new Error('the statement could not be built');
    await expect(
      tenantTx(database.db, randomUUID(), async (tx) => {
        await tx.execute(sql`insert into probe (n) values (1)`);
        await sendUnawaited(tx, { execute: () => Promise.reject(unbuildable) });
      }),
    ).rejects.toBe(unbuildable);
    expect(await rows()).toEqual([]);
  });

  it('waits as usual in a savepoint, where its failure is the savepoint\'s to handle', async () => {
    await tenantTx(database.db, randomUUID(), async (tx) => {
      await tx.execute(sql`insert into probe (n) values (1)`);
      await expect(
        tx.transaction(async (savepoint) => {
          await expect(sendUnawaited(savepoint, { execute: () => savepoint.execute(sql`insert into probe (n) values (1)`) })).rejects.toMatchObject({ cause: { code: '23505' } });
          throw new Error('undo the savepoint');
        }),
      ).rejects.toThrow('undo the savepoint');
      await tx.execute(sql`insert into probe (n) values (2)`);
    });
    expect(await rows()).toEqual([1, 2]);
  });
});

/** How many writes postgres.js makes to its socket while `run` goes: each round trip starts with one. */
async function socketWrites(run: (c: postgres.Sql) => Promise<unknown>): Promise<number> {
  let writes = 0;
  const url = new URL(db.adminUrl);
  // `socket` is postgres.js's documented hook for a socket of one's own; its types leave it out.
  const counting = postgres(db.adminUrl, {
    max: 1,
    onnotice: () => {},
    socket: async () => {
      const socket = net.connect(Number(url.port || 5432), url.hostname);
      const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
      socket.write = ((...args: unknown[]) => {
        writes++;
        return write(...args);
      }) as typeof socket.write;
      await new Promise((resolve) => socket.once('connect', resolve));
      return socket;
    },
  } as postgres.Options<Record<string, postgres.PostgresType>>);
  try {
    // Connected, and the statement prepared, before counting.
    await run(counting);
    const start = writes;
    await run(counting);
    return writes - start;
  } finally {
    await counting.end();
  }
}
