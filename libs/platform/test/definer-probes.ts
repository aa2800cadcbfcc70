import { randomBytes, randomUUID } from 'node:crypto';
import type postgres from 'postgres';
import { SERVICE_SCHEMAS, type ServiceName } from '../src/index.js';

/**
 * Two-agency probes of the SECURITY DEFINER functions, keyed by signature (`regprocedure`). A
 * definer function runs as its schema's owner, which bypasses row-level security, so each one is
 * the place where one agency could see another's rows: each probe seeds rows of agencies A and B
 * and calls the function as the service role. Tenant functions (they read `app.agency_id`) must
 * return the calling agency's rows only; the few that are cross-tenant by design (the relay's
 * outbox claim, the job runner's claim, lookups by a secret before the agency is known) must
 * hand each row out with its own agency, or only the row the secret names. rls.test fails for a
 * definer function without a probe here.
 */
export interface ProbeContext {
  /** Superuser: seeds rows (foreign keys off). */
  admin: postgres.Sql;
  /** The service's own login role. */
  as(service: ServiceName): postgres.Sql;
  A: string;
  B: string;
}

/** Returns what went wrong, empty when the function kept agencies apart. */
type Probe = (ctx: ProbeContext) => Promise<string[]>;

class Rollback extends Error {}

/** Runs `fn` in a transaction of `sql` (optionally in an agency) and rolls it back. */
async function rolledBack<T>(sql: postgres.Sql, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  let result: T | undefined;
  try {
    await sql.begin(async (tx) => {
      result = await fn(tx);
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return result as T;
}

const inAgency = (tx: postgres.TransactionSql, agency: string) => tx`select set_config('app.agency_id', ${agency}, true)`;

async function seedAsAdmin(admin: postgres.Sql, statements: [string, unknown[]][]): Promise<void> {
  await admin.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    for (const [text, params] of statements) await tx.unsafe(text, params as never[]);
  });
}

const once = <T>(make: (ctx: ProbeContext) => Promise<T>) => {
  let made: Promise<T> | null = null;
  return (ctx: ProbeContext) => (made ??= make(ctx));
};

const sameIds = (what: string, got: string[], want: string[]) =>
  JSON.stringify([...got].sort()) === JSON.stringify([...want].sort()) ? [] : [`${what}: returned ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`];

// --- crm search: tenant functions ------------------------------------------------------------

const crmSearchRows = once(async ({ admin, A, B }) => {
  const tag = `probe${randomBytes(5).toString('hex')}`;
  const rows = { tag, client: {} as Record<string, string>, contact: {} as Record<string, string> };
  const statements: [string, unknown[]][] = [];
  for (const agency of [A, B]) {
    rows.client[agency] = randomUUID();
    rows.contact[agency] = randomUUID();
    statements.push([`insert into crm.clients (id, agency_id, name) values ($1, $2, $3)`, [rows.client[agency], agency, `Probe ${tag}`]]);
    statements.push([`insert into crm.contacts (id, agency_id, client_id, first_name) values ($1, $2, $3, $4)`, [rows.contact[agency], agency, rows.client[agency], `Probe ${tag}`]]);
  }
  await seedAsAdmin(admin, statements);
  return rows;
});

/** A tenant search function, called as crm in A and then in B: each sees its own row only. */
const crmSearch =
  (kind: 'client' | 'contact', call: (tx: postgres.TransactionSql, term: string) => Promise<{ id: string }[]>): Probe =>
  async (ctx) => {
    const rows = await crmSearchRows(ctx);
    const problems: string[] = [];
    for (const agency of [ctx.A, ctx.B]) {
      const ids = await rolledBack(ctx.as('crm'), async (tx) => {
        await inAgency(tx, agency);
        return (await call(tx, rows.tag)).map((r) => r.id);
      });
      problems.push(...sameIds(`in agency ${agency === ctx.A ? 'A' : 'B'}`, ids, [rows[kind][agency]!]));
    }
    return problems;
  };

// --- crm import runner: cross-tenant by design -----------------------------------------------

const importJob = (id: string, agency: string, status: string): [string, unknown[]] => [
  `insert into crm.import_jobs (id, agency_id, entity, status, delimiter, columns, created_by) values ($1, $2, 'contacts', $3, ',', '[]', $4)`,
  [id, agency, status, randomUUID()],
];

const importSweep: Probe = async ({ admin, as, A, B }) => {
  const jobs = { [A]: randomUUID(), [B]: randomUUID() };
  await seedAsAdmin(admin, [importJob(jobs[A]!, A, 'uploaded'), importJob(jobs[B]!, B, 'uploaded')]);
  const statuses = await rolledBack(as('crm'), async (tx) => {
    await tx`select crm.import_sweep(interval '0 seconds', interval '1 day')`;
    const seen: Record<string, string | undefined> = {};
    for (const agency of [A, B]) {
      await inAgency(tx, agency);
      const [row] = await tx<{ status: string }[]>`select status from crm.import_jobs where id = ${jobs[agency]!}`;
      seen[agency] = row?.status;
    }
    return seen;
  });
  return [A, B].filter((agency) => statuses[agency] !== 'failed').map((agency) => `the expired upload of ${agency === A ? 'A' : 'B'} is ${statuses[agency]}, not failed`);
};

// --- outbox relay: cross-tenant by design, in every schema -----------------------------------

const outboxRows = (schema: string) =>
  once(async ({ admin, A, B }) => {
    const ids = { [A]: randomUUID(), [B]: randomUUID() };
    await seedAsAdmin(
      admin,
      [A, B].map((agency) => [`insert into "${schema}".outbox (id, agency_id, name, envelope) values ($1, $2, 'probe.thing.happened.v1', '{}')`, [ids[agency], agency]]),
    );
    return ids;
  });

const outboxProbes = (service: ServiceName): Record<string, Probe> => {
  const s = SERVICE_SCHEMAS[service];
  const rows = outboxRows(s);
  return {
    [`${s}.outbox_claim(integer)`]: async (ctx) => {
      const ids = await rows(ctx);
      const claimed = await rolledBack(ctx.as(service), (tx) => tx.unsafe<{ id: string; agency: string }[]>(`select id::text, agency_id::text as agency from "${s}".outbox_claim(100000)`));
      return [ctx.A, ctx.B].filter((agency) => !claimed.some((r) => r.id === ids[agency] && r.agency === agency)).map((agency) => `the relay did not get the row of ${agency === ctx.A ? 'A' : 'B'} with its agency`);
    },
    [`${s}.outbox_mark_published(uuid[])`]: async (ctx) => {
      const ids = await rows(ctx);
      const published = await rolledBack(ctx.as(service), async (tx) => {
        await tx.unsafe(`select "${s}".outbox_mark_published(array[$1]::uuid[])`, [ids[ctx.A]!]);
        const seen: Record<string, boolean | undefined> = {};
        for (const agency of [ctx.A, ctx.B]) {
          await inAgency(tx, agency);
          const [r] = await tx.unsafe<{ published: boolean }[]>(`select published_at is not null as published from "${s}".outbox where id = $1`, [ids[agency]!]);
          seen[agency] = r?.published;
        }
        return seen;
      });
      return published[ctx.A] === true && published[ctx.B] === false ? [] : [`marking A's row published left A=${published[ctx.A]} B=${published[ctx.B]}`];
    },
    [`${s}.outbox_prune(interval)`]: async (ctx) => {
      const ids = await rows(ctx);
      const left = await rolledBack(ctx.as(service), async (tx) => {
        await tx.unsafe(`select "${s}".outbox_mark_published(array[$1]::uuid[])`, [ids[ctx.A]!]);
        await tx.unsafe(`select "${s}".outbox_prune(interval '-1 hour')`);
        const seen: Record<string, number> = {};
        for (const agency of [ctx.A, ctx.B]) {
          await inAgency(tx, agency);
          seen[agency] = (await tx.unsafe(`select 1 from "${s}".outbox where id = $1`, [ids[agency]!])).length;
        }
        return seen;
      });
      return left[ctx.A] === 0 && left[ctx.B] === 1 ? [] : [`pruning after A's row was published left A=${left[ctx.A]} B=${left[ctx.B]} (expected 0 and 1)`];
    },
  };
};

// --- kit job runner and housekeeping: cross-tenant by design, in every schema ----------------

const jobRow = (schema: string, id: string, agency: string, name: string, status: string, extra = ''): [string, unknown[]] => [
  `insert into "${schema}".jobs (id, agency_id, name, status, locked_by, locked_until${extra ? ', finished_at' : ''}) values ($1, $2, $3, $4, $5, $6${extra ? `, ${extra}` : ''})`,
  [id, agency, name, status, status === 'running' ? 'probe-worker' : null, status === 'running' ? new Date(Date.now() + 60_000) : null],
];

/** Job rows of A and B in `schema` with a fresh name, in `status`; ids by agency. */
async function seedJobs(ctx: ProbeContext, schema: string, status: string, finishedLongAgo = false) {
  const name = `probe-${randomBytes(5).toString('hex')}`;
  const ids = { [ctx.A]: randomUUID(), [ctx.B]: randomUUID() };
  await seedAsAdmin(ctx.admin, [ctx.A, ctx.B].map((agency) => jobRow(schema, ids[agency]!, agency, name, status, finishedLongAgo ? "now() - interval '30 days'" : '')));
  return { name, ids };
}

/** Each agency's view of its own job after `act` (run as the service role, rolled back). */
async function jobStatusesAfter(ctx: ProbeContext, service: ServiceName, ids: Record<string, string>, act: (tx: postgres.TransactionSql) => Promise<unknown>) {
  const s = SERVICE_SCHEMAS[service];
  return rolledBack(ctx.as(service), async (tx) => {
    await act(tx);
    const seen: Record<string, string | undefined> = {};
    for (const agency of [ctx.A, ctx.B]) {
      await inAgency(tx, agency);
      const [row] = await tx.unsafe<{ status: string }[]>(`select status from "${s}".jobs where id = $1`, [ids[agency]!]);
      seen[agency] = row?.status ?? 'gone';
    }
    return seen;
  });
}

/** A's job was changed to `wanted` by a call naming A's job only; B's stayed as it was. */
const onlyA = (ctx: ProbeContext, seen: Record<string, string | undefined>, wanted: string, untouched: string) =>
  seen[ctx.A] === wanted && seen[ctx.B] === untouched ? [] : [`after a call for A's job: A=${seen[ctx.A]} (expected ${wanted}), B=${seen[ctx.B]} (expected ${untouched})`];

const jobProbes = (service: ServiceName): Record<string, Probe> => {
  const s = SERVICE_SCHEMAS[service];
  const byIdCall = (fn: string, args: string, wanted: string): Probe => async (ctx) => {
    const { ids } = await seedJobs(ctx, s, 'running');
    const seen = await jobStatusesAfter(ctx, service, ids, (tx) => tx.unsafe(`select "${s}".${fn}($1, ${args})`, [ids[ctx.A]!]));
    return onlyA(ctx, seen, wanted, 'running');
  };
  return {
    [`${s}.job_claim(text,text[],interval,integer)`]: async (ctx) => {
      const { name, ids } = await seedJobs(ctx, s, 'queued');
      const claimed = await rolledBack(ctx.as(service), (tx) =>
        tx.unsafe<{ id: string; agency: string }[]>(`select id::text, agency_id::text as agency from "${s}".job_claim('probe-worker', array[$1], interval '1 minute', 10)`, [name]),
      );
      return [ctx.A, ctx.B].filter((agency) => !claimed.some((r) => r.id === ids[agency] && r.agency === agency)).map((agency) => `the runner did not get the job of ${agency === ctx.A ? 'A' : 'B'} with its agency`);
    },
    [`${s}.job_heartbeat(text,uuid[],interval)`]: async (ctx) => {
      const { ids } = await seedJobs(ctx, s, 'running');
      const extended = await rolledBack(ctx.as(service), (tx) => tx.unsafe<{ id: string }[]>(`select id::text from "${s}".job_heartbeat('probe-worker', array[$1]::uuid[], interval '1 minute') as id`, [ids[ctx.A]!]));
      return sameIds("heartbeat for A's job", extended.map((r) => r.id), [ids[ctx.A]!]);
    },
    [`${s}.job_complete(uuid,text)`]: byIdCall('job_complete', `'probe-worker'`, 'completed'),
    [`${s}.job_retry(uuid,text,text,interval)`]: byIdCall('job_retry', `'probe-worker', 'probe error', interval '1 minute'`, 'queued'),
    [`${s}.job_fail(uuid,text,text)`]: byIdCall('job_fail', `'probe-worker', 'probe error'`, 'failed'),
    [`${s}.job_release(uuid,text)`]: byIdCall('job_release', `'probe-worker'`, 'queued'),
    [`${s}.job_schedule_fire(text,timestamp with time zone,text,jsonb,integer)`]: async (ctx) => {
      // A schedule's job belongs to no agency (a system job); a slot fires once.
      const fired = await rolledBack(ctx.as(service), async (tx) => {
        const fire = () => tx.unsafe<{ id: string | null }[]>(`select "${s}".job_schedule_fire('probe-schedule', now(), 'probe.system', '{}', 3)::text as id`);
        const [first] = await fire();
        const [second] = await fire();
        await inAgency(tx, ctx.A);
        const visibleToA = (await tx.unsafe(`select 1 from "${s}".jobs where id = $1`, [first?.id ?? randomUUID()])).length;
        return { first: first?.id ?? null, second: second?.id ?? null, visibleToA };
      });
      return fired.first && fired.second === null && fired.visibleToA === 0 ? [] : [`fired ${JSON.stringify(fired)}: expected a job id, then null, and no row an agency sees`];
    },
    [`${s}.job_prune(interval,interval)`]: async (ctx) => {
      const done = await seedJobs(ctx, s, 'completed', true);
      const running = await seedJobs(ctx, s, 'running');
      const seen = await jobStatusesAfter(ctx, service, { ...done.ids }, (tx) => tx.unsafe(`select "${s}".job_prune(interval '1 day', interval '1 day')`));
      const still = await jobStatusesAfter(ctx, service, running.ids, (tx) => tx.unsafe(`select "${s}".job_prune(interval '1 day', interval '1 day')`));
      const problems: string[] = [];
      if (seen[ctx.A] !== 'gone' || seen[ctx.B] !== 'gone') problems.push(`old completed jobs left: A=${seen[ctx.A]} B=${seen[ctx.B]}`);
      if (still[ctx.A] !== 'running' || still[ctx.B] !== 'running') problems.push(`running jobs touched: A=${still[ctx.A]} B=${still[ctx.B]}`);
      return problems;
    },
    [`${s}.inbox_prune(interval)`]: async (ctx) => {
      const consumer = `probe-${randomBytes(5).toString('hex')}`;
      const old = { [ctx.A]: randomUUID(), [ctx.B]: randomUUID() };
      const recent = { [ctx.A]: randomUUID(), [ctx.B]: randomUUID() };
      await seedAsAdmin(
        ctx.admin,
        [ctx.A, ctx.B].flatMap((agency): [string, unknown[]][] => [
          [`insert into "${s}".inbox (consumer, event_id, agency_id, processed_at) values ($1, $2, $3, now() - interval '30 days')`, [consumer, old[agency], agency]],
          [`insert into "${s}".inbox (consumer, event_id, agency_id) values ($1, $2, $3)`, [consumer, recent[agency], agency]],
        ]),
      );
      const left = await rolledBack(ctx.as(service), async (tx) => {
        await tx.unsafe(`select "${s}".inbox_prune(interval '1 day')`);
        const seen: Record<string, string[]> = {};
        for (const agency of [ctx.A, ctx.B]) {
          await inAgency(tx, agency);
          seen[agency] = (await tx.unsafe<{ id: string }[]>(`select event_id::text as id from "${s}".inbox where consumer = $1`, [consumer])).map((r) => r.id);
        }
        return seen;
      });
      return [ctx.A, ctx.B].flatMap((agency) => sameIds(`inbox of ${agency === ctx.A ? 'A' : 'B'} after pruning`, left[agency] ?? [], [recent[agency]!]));
    },
  };
};

// --- identity lookups before the agency is known: by a secret --------------------------------

const identityRows = once(async ({ admin, A, B }) => {
  const rows: Record<string, { user: string; hash: string }> = {};
  const statements: [string, unknown[]][] = [];
  for (const agency of [A, B]) {
    const user = randomUUID();
    const hash = `probe-${randomBytes(8).toString('hex')}`;
    rows[agency] = { user, hash };
    statements.push(
      [`insert into identity.agencies (id, name) values ($1, 'Probe agency')`, [agency]],
      [`insert into identity.users (id, email, name, password_hash) values ($1, $2, 'Probe', 'x')`, [user, `${hash}@probe.example`]],
      [`insert into identity.memberships (agency_id, user_id, role) values ($1, $2, 'owner')`, [agency, user]],
      [`insert into identity.sessions (agency_id, user_id, token_hash, expires_at) values ($1, $2, $3, now() + interval '1 hour')`, [agency, user, hash]],
      [`insert into identity.api_tokens (agency_id, user_id, name, token_hash) values ($1, $2, 'probe', $3)`, [agency, user, hash]],
      [`insert into identity.invitations (agency_id, email, role, token_hash, invited_by, expires_at) values ($1, 'invitee@probe.example', 'member', $2, $3, now() + interval '1 hour')`, [agency, hash, user]],
    );
  }
  await seedAsAdmin(admin, statements);
  return rows;
});

/** A lookup by the secret (or user) of A, then of B, as the gateway: it returns that agency's row only. */
const identityLookup =
  (call: (sql: postgres.Sql, row: { user: string; hash: string }) => Promise<{ agency: string }[]>): Probe =>
  async (ctx) => {
    const rows = await identityRows(ctx);
    const problems: string[] = [];
    for (const agency of [ctx.A, ctx.B]) {
      const found = (await call(ctx.as('gateway'), rows[agency]!)).map((r) => r.agency);
      if (found.length !== 1 || found[0] !== agency) problems.push(`the lookup for ${agency === ctx.A ? 'A' : 'B'} returned agencies ${JSON.stringify(found)}`);
    }
    return problems;
  };

// --- billing: the public invoice page, before the agency is known: by the token's hash --------

/** Each agency's invoice answers to its own token only, and a voided invoice to none. */
const billingPublicToken: Probe = async ({ admin, as, A, B }) => {
  const rows: Record<string, { invoice: string; hash: Buffer }> = {};
  const statements: [string, unknown[]][] = [];
  for (const agency of [A, B]) {
    const invoice = randomUUID();
    const hash = randomBytes(32);
    rows[agency] = { invoice, hash };
    statements.push([`insert into billing.invoices (id, agency_id, client_id, currency, public_token_hash) values ($1, $2, $3, 'EUR', $4)`, [invoice, agency, randomUUID(), hash]]);
  }
  const voidedHash = randomBytes(32);
  statements.push([
    `insert into billing.invoices (agency_id, client_id, currency, status, number, number_year, number_seq, issue_date, voided_at, public_token_hash) values ($1, $2, 'EUR', 'void', 'PROBE-1', 2026, 1, current_date, now(), $3)`,
    [A, randomUUID(), voidedHash],
  ]);
  await seedAsAdmin(admin, statements);
  const problems: string[] = [];
  const lookup = (hash: Buffer) => as('billing')<{ invoice: string; agency: string }[]>`select invoice_id::text as invoice, agency_id::text as agency from billing.find_invoice_by_public_token(${hash})`;
  for (const agency of [A, B]) {
    const found = await lookup(rows[agency]!.hash);
    if (found.length !== 1 || found[0]!.agency !== agency || found[0]!.invoice !== rows[agency]!.invoice) problems.push(`the token of ${agency === A ? 'A' : 'B'} returned ${JSON.stringify(found)}`);
  }
  if ((await lookup(voidedHash)).length !== 0) problems.push('a voided invoice was found by its token');
  if ((await lookup(randomBytes(32))).length !== 0) problems.push('an unknown token found an invoice');
  return problems;
};

// --- payments: the public checkout, before the agency is known: by the token's digest ----------

const paymentsPublicToken: Probe = async ({ admin, as, A, B }) => {
  const rows: Record<string, { invoice: string; digest: string }> = {};
  const statements: [string, unknown[]][] = [];
  for (const agency of [A, B]) {
    const invoice = randomUUID();
    const digest = randomBytes(32).toString('hex');
    rows[agency] = { invoice, digest };
    statements.push([`insert into payments.invoices (id, agency_id, client_id, currency, status, public_token_digest, version) values ($1, $2, $3, 'EUR', 'sent', $4, 1)`, [invoice, agency, randomUUID(), digest]]);
  }
  const voidedDigest = randomBytes(32).toString('hex');
  statements.push([`insert into payments.invoices (id, agency_id, client_id, currency, status, public_token_digest, version) values ($1, $2, $3, 'EUR', 'void', $4, 2)`, [randomUUID(), A, randomUUID(), voidedDigest]]);
  await seedAsAdmin(admin, statements);
  const problems: string[] = [];
  const lookup = (digest: string) => as('payments')<{ invoice: string; agency: string }[]>`select invoice_id::text as invoice, agency_id::text as agency from payments.find_invoice_by_public_token(${digest})`;
  for (const agency of [A, B]) {
    const found = await lookup(rows[agency]!.digest);
    if (found.length !== 1 || found[0]!.agency !== agency || found[0]!.invoice !== rows[agency]!.invoice) problems.push(`the digest of ${agency === A ? 'A' : 'B'} returned ${JSON.stringify(found)}`);
  }
  if ((await lookup(voidedDigest)).length !== 0) problems.push('a void invoice was found by its digest');
  if ((await lookup(randomBytes(32).toString('hex'))).length !== 0) problems.push('an unknown digest found an invoice');
  return problems;
};

/** The overdue schedule's cross-agency list: each agency once, with its own timezone and earliest open due date; drafts, paid and voided invoices left out. */
const billingOpenInvoices: Probe = async ({ admin, as, A, B }) => {
  const issued = (agency: string, status: string, due: string, amountDue: string) =>
    [
      `insert into billing.invoices (agency_id, client_id, currency, status, number, number_year, number_seq, issue_date, due_date, total, amount_paid, amount_due, voided_at)
       values ($1, $2, 'EUR', $3, $4, 2026, $5, '2026-01-01', $6, 100, 100 - $7::numeric, $7::numeric, case when $3 = 'void' then now() end)`,
      [agency, randomUUID(), status, `PROBE-${randomUUID()}`, Math.floor(Math.random() * 1e9), due, amountDue],
    ] as [string, unknown[]];
  await seedAsAdmin(admin, [
    [`insert into billing.agencies (id, agency_id, name, timezone, currency, version) values ($1, $1, 'A', 'Europe/Berlin', 'EUR', 1) on conflict do nothing`, [A]],
    issued(A, 'sent', '2026-01-10', '100'),
    issued(A, 'paid', '2026-01-02', '0'),
    issued(A, 'void', '2026-01-03', '100'),
    issued(B, 'partially_paid', '2026-02-01', '40'),
    issued(B, 'viewed', '2026-03-01', '100'),
  ]);
  const rows = await as('billing')<{ agency: string; timezone: string; earliest: string }[]>`
    select agency_id::text as agency, timezone, earliest_due::text as earliest from billing.agencies_with_open_invoices() where agency_id in (${A}, ${B})`;
  const got = Object.fromEntries(rows.map((r) => [r.agency, `${r.timezone} ${r.earliest}`]));
  const want = { [A]: 'Europe/Berlin 2026-01-10', [B]: 'UTC 2026-02-01' };
  return rows.length === 2 && got[A] === want[A] && got[B] === want[B] ? [] : [`agencies_with_open_invoices returned ${JSON.stringify(rows)}, expected ${JSON.stringify(want)}`];
};

/** Reconciliation's cross-agency list of sessions still open after a while: each with its own agency; fresh and finished ones left out. */
const paymentsStaleSessions: Probe = async ({ admin, as, A, B }) => {
  const tag = randomBytes(5).toString('hex');
  const session = (agency: string, status: string, age: string) =>
    [
      `insert into payments.checkout_sessions (agency_id, invoice_id, amount, currency, idempotency_key, stripe_session_id, status, created_at) values ($1, $2, 10, 'EUR', $3, $3, $4, now() - $5::interval)`,
      [agency, randomUUID(), `cs_probe_${tag}_${randomUUID()}`, status, age],
    ] as [string, unknown[]];
  const old = [session(A, 'open', '1 hour'), session(B, 'open', '2 hours')];
  await seedAsAdmin(admin, [...old, session(A, 'open', '1 second'), session(B, 'complete', '3 hours'), session(A, 'expired', '3 hours')]);
  const rows = await as('payments')<{ agency: string; session: string }[]>`select agency_id::text as agency, stripe_session_id as session from payments.stale_open_sessions(interval '10 minutes', 1000) where stripe_session_id like ${`cs_probe_${tag}_%`}`;
  const want = old.map(([, p]) => `${String(p[0])} ${String(p[2])}`).sort();
  const got = rows.map((r) => `${r.agency} ${r.session}`).sort();
  return JSON.stringify(got) === JSON.stringify(want) ? [] : [`stale_open_sessions returned ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`];
};

/**
 * The reminder schedule's cross-agency list: each open invoice with its own agency and the latest
 * reminder day of its own agency's settings (at 09:00 in its own timezone), none already sent,
 * nothing paid, void or draft.
 */
const billingDueReminders: Probe = async ({ admin, as, A, B }) => {
  const ids = { a: randomUUID(), aPaid: randomUUID(), b: randomUUID(), bSent: randomUUID(), bDraft: randomUUID() };
  const issued = (id: string, agency: string, status: string, due: string) =>
    [
      `insert into billing.invoices (id, agency_id, client_id, currency, status, number, number_year, number_seq, issue_date, due_date, total, amount_paid, amount_due)
       values ($1, $2, $3, 'EUR', $4, $5, 2026, $6, '2025-11-01', $7, 100, 0, 100)`,
      [id, agency, randomUUID(), status, `PROBE-${randomUUID()}`, Math.floor(Math.random() * 1e9), due],
    ] as [string, unknown[]];
  await seedAsAdmin(admin, [
    [`insert into billing.agencies (id, agency_id, name, timezone, currency, version) values ($1, $1, 'A', 'Europe/Berlin', 'EUR', 1) on conflict do nothing`, [A]],
    [`insert into billing.invoicing_settings (agency_id, reminder_days) values ($1, '{3}') on conflict (agency_id) do update set reminder_days = '{3}'`, [A]],
    issued(ids.a, A, 'sent', '2026-01-10'),
    [`insert into billing.invoices (id, agency_id, client_id, currency, status, number, number_year, number_seq, issue_date, due_date, total, amount_paid, amount_due, paid_at) values ($1, $2, $3, 'EUR', 'paid', $4, 2026, $5, '2025-11-01', '2026-01-01', 100, 100, 0, now())`, [ids.aPaid, A, randomUUID(), `PROBE-${randomUUID()}`, Math.floor(Math.random() * 1e9)]],
    issued(ids.b, B, 'viewed', '2026-01-09'),
    issued(ids.bSent, B, 'overdue', '2025-12-01'),
    [`insert into billing.invoice_reminders (agency_id, invoice_id, reminder_day) values ($1, $2, 14)`, [B, ids.bSent]],
    [`insert into billing.invoices (id, agency_id, client_id, currency, due_date) values ($1, $2, $3, 'EUR', '2025-12-01')`, [ids.bDraft, B, randomUUID()]],
  ]);
  const rows = await as('billing')<{ agency: string; invoice: string; day: number }[]>`
    select agency_id::text as agency, invoice_id::text as invoice, reminder_day as day
      from billing.due_reminders('2026-01-17T08:00:00Z'::timestamptz, '09:00'::time) where agency_id in (${A}, ${B}) order by agency_id, invoice_id`;
  // Other probes seed invoices of A and B too: only this probe's count.
  const mine = new Set<string>(Object.values(ids));
  const got = rows.filter((r) => mine.has(r.invoice)).map((r) => `${r.agency}/${r.invoice}/${r.day}`).sort();
  const want = [`${A}/${ids.a}/3`, `${B}/${ids.b}/7`].sort();
  return JSON.stringify(got) === JSON.stringify(want) ? [] : [`due_reminders returned ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`];
};

export const DEFINER_PROBES: Record<string, Probe> = {
  'crm.search_client_page(text,boolean,text,boolean,text,uuid,integer)': crmSearch(
    'client',
    (tx, term) => tx`select unnest(ids)::text as id from crm.search_client_page(${term}, null, 'name', false, null, null, 10)`,
  ),
  'crm.search_contact_page(text,uuid,boolean,text,boolean,text,uuid,integer)': crmSearch(
    'contact',
    (tx, term) => tx`select unnest(ids)::text as id from crm.search_contact_page(${term}, null, null, 'last_name', false, null, null, 10)`,
  ),
  'crm.search_client_top(text,integer)': crmSearch('client', (tx, term) => tx`select id::text from crm.search_client_top(${term}, 10) as id`),
  'crm.search_contact_top(text,integer)': crmSearch('contact', (tx, term) => tx`select id::text from crm.search_contact_top(${term}, 10) as id`),
  'crm.import_sweep(interval,interval)': importSweep,
  'identity.resolve_session(text,interval)': identityLookup((sql, r) => sql`select agency_id::text as agency from identity.resolve_session(${r.hash}, interval '1 day')`),
  'identity.resolve_api_token(text)': identityLookup((sql, r) => sql`select agency_id::text as agency from identity.resolve_api_token(${r.hash})`),
  'identity.user_memberships(uuid)': identityLookup((sql, r) => sql`select agency_id::text as agency from identity.user_memberships(${r.user})`),
  'identity.find_invitation(text)': identityLookup((sql, r) => sql`select agency_id::text as agency from identity.find_invitation(${r.hash})`),
  'billing.find_invoice_by_public_token(bytea)': billingPublicToken,
  'payments.find_invoice_by_public_token(text)': paymentsPublicToken,
  'payments.stale_open_sessions(interval,integer)': paymentsStaleSessions,
  'billing.agencies_with_open_invoices()': billingOpenInvoices,
  'billing.due_reminders(timestamp with time zone,time without time zone)': billingDueReminders,
  ...Object.assign({}, ...(Object.keys(SERVICE_SCHEMAS) as ServiceName[]).map(outboxProbes)),
  ...Object.assign({}, ...(Object.keys(SERVICE_SCHEMAS) as ServiceName[]).map(jobProbes)),
};
