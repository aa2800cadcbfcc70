import { randomUUID } from 'node:crypto';
import http from 'node:http';
import Stripe from 'stripe';
import { billingEvents, type EventEnvelope } from '@atelier/contracts';
import type { Sql } from '@atelier/platform';
import { rng } from '@atelier/platform/testing';
import { agentRequest } from './api.js';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { sleep, summarize, type Summary } from './stats.js';

export interface PaymentsBenchOptions {
  gatewayUrl: string;
  apiToken: string;
  agencyId: string;
  /** A client billing's replica knows; the invoices are its. */
  clientId: string;
  /** Owner (BYPASSRLS) connection to the bench database: seeding billing, reading the ledger. */
  sql: Sql;
  /** The Stripe emulator payments-service talks to, its key, and the webhook secret payments-service verifies with. */
  stripeUrl: string;
  stripeKey: string;
  webhookSecret: string;
  sampler: CpuSampler;
  log: (line: string) => void;
}

/** An issued invoice, as billing holds it and payments' replica learned it. */
interface IssuedInvoice {
  id: string;
  total: string;
}

/** A paid Checkout Session of one invoice, and its PaymentIntent. */
interface PaidSession {
  invoiceId: string;
  sessionId: string;
  intentId: string;
}

type Agent = http.Agent;
const newAgent = () => new http.Agent({ keepAlive: true, maxSockets: 256 });

function stripeOf(o: PaymentsBenchOptions): Stripe {
  const url = new URL(o.stripeUrl);
  return new Stripe(o.stripeKey, { host: url.hostname, port: Number(url.port), protocol: 'http', maxNetworkRetries: 0 });
}

/** Open loop: item i leaves at t0 + i / rate whether or not the earlier ones have answered. */
async function paced<T>(items: readonly T[], ratePerS: number, fn: (item: T, i: number) => Promise<void>): Promise<{ achievedRatePerS: number }> {
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < items.length; i++) {
    const wait = t0 + (i * 1000) / ratePerS - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(fn(items[i]!, i));
  }
  const achievedRatePerS = (items.length - 1) / ((performance.now() - t0) / 1000);
  await Promise.all(pending);
  return { achievedRatePerS };
}

/** Closed loop: `size` workers, each taking the next item when its last one is done. */
async function pool<T>(items: readonly T[], size: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

let nextYear = 2100;

/**
 * `count` issued invoices of the agency's client, as billing issues them: the row (sent, all of
 * it due) and `billing.invoice.issued.v1` in billing's outbox, which its relay publishes to
 * payments' invoice replica. Issuing through the API would render and mail a PDF for each.
 * Resolves once the replica holds them all.
 */
async function seedIssuedInvoices(o: PaymentsBenchOptions, count: number, label: string): Promise<IssuedInvoice[]> {
  // Each batch numbers its invoices in a year of its own (far from the agency's real ones).
  const year = nextYear++;
  const issuedAt = new Date().toISOString();
  const today = issuedAt.slice(0, 10);
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const rows = Array.from({ length: count }, (_, i) => {
    const total = `${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`;
    return { id: randomUUID(), number: `${label}-${year}-${String(i + 1).padStart(5, '0')}`, seq: i + 1, total };
  });
  const events: EventEnvelope[] = rows.map((r) => ({
    id: randomUUID(),
    name: 'billing.invoice.issued.v1',
    occurredAt: issuedAt,
    agencyId: o.agencyId,
    actorId: null,
    trace: {},
    payload: billingEvents['billing.invoice.issued.v1'].parse({
      clientId: o.clientId,
      invoiceId: r.id,
      projectId: null,
      number: r.number,
      currency: 'EUR',
      version: 2,
      timeEntries: [],
      issuedAt,
      status: 'sent',
      issueDate: today,
      dueDate: due,
      total: r.total,
      amountPaid: '0.00',
      amountDue: r.total,
    }),
  }));
  await o.sql.begin(async (tx) => {
    await tx`
      insert into billing.invoices (id, agency_id, client_id, number, number_year, number_seq, status, issue_date, due_date, currency, subtotal, total, amount_paid, amount_due, sent_at, version)
      select x.id, ${o.agencyId}, ${o.clientId}, x.number, ${year}, x.seq, 'sent', ${today}::date, ${due}::date, 'EUR', x.total, x.total, 0, x.total, now(), 2
        from json_to_recordset(${JSON.stringify(rows)}::json) as x(id uuid, number text, seq int, total numeric)`;
    await tx`
      insert into billing.outbox (id, agency_id, name, envelope)
      select x.id, x.agency_id, x.name, x.envelope
        from json_to_recordset(${JSON.stringify(events.map((e) => ({ id: e.id, agency_id: e.agencyId, name: e.name, envelope: e })))}::json) as x(id uuid, agency_id uuid, name text, envelope jsonb)`;
  });
  const ids = `{${rows.map((r) => r.id).join(',')}}`;
  for (const deadline = Date.now() + 60_000; ; await sleep(100)) {
    const [row] = await o.sql<{ n: number }[]>`select count(*)::int as n from payments.invoices where id = any(${ids}::uuid[])`;
    if (row?.n === count) return rows.map(({ id, total }) => ({ id, total }));
    if (Date.now() > deadline) throw new Error(`payments' invoice replica holds ${row?.n ?? 0} of ${count} issued invoices after 60 s`);
  }
}

/** POST /api/payments/checkout through the gateway, as staff; the session's id is the last segment of its URL. */
async function createSession(o: PaymentsBenchOptions, agent: Agent, invoiceId: string): Promise<{ sessionId: string; ms: number }> {
  const started = performance.now();
  const res = await agentRequest(agent, new URL('/api/payments/checkout', o.gatewayUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${o.apiToken}` },
    body: JSON.stringify({ invoiceId }),
    timeoutMs: 30_000,
  });
  const ms = performance.now() - started;
  const url = res.status === 200 ? (JSON.parse(res.body) as { url?: string }).url : undefined;
  if (!url) throw new Error(`POST /api/payments/checkout → ${res.status} ${res.body.slice(0, 200)}`);
  return { sessionId: new URL(url).pathname.split('/').pop()!, ms };
}

/** Pays each session by card (4242) on the emulator, as its hosted page would. */
async function paySessions(o: PaymentsBenchOptions, sessions: { invoiceId: string; sessionId: string }[]): Promise<PaidSession[]> {
  const paid: PaidSession[] = [];
  await pool(sessions, 8, async (s) => {
    const res = await fetch(`${o.stripeUrl}/_emulator/checkout/sessions/${s.sessionId}/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ card: '4242424242424242' }) });
    const body = (await res.json()) as { payment_status?: string; payment_intent?: string };
    if (res.status !== 200 || body.payment_status !== 'paid' || !body.payment_intent) throw new Error(`paying ${s.sessionId} → ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    paid.push({ ...s, intentId: body.payment_intent });
  });
  return paid;
}

/** Issued invoices with a paid session each (sessions made back to back, not measured). */
async function paidInvoices(o: PaymentsBenchOptions, agent: Agent, count: number, label: string) {
  const invoices = await seedIssuedInvoices(o, count, label);
  const sessions: { invoiceId: string; sessionId: string }[] = [];
  await pool(invoices, 4, async (inv) => {
    sessions.push({ invoiceId: inv.id, sessionId: (await createSession(o, agent, inv.id)).sessionId });
  });
  return { invoices, paid: await paySessions(o, sessions) };
}

/** Every event the emulator emitted about these payments (sessions, their intents and charges), oldest first. */
async function eventsOf(stripe: Stripe, paid: PaidSession[], since: number): Promise<Stripe.Event[]> {
  const ours = new Set(paid.flatMap((p) => [p.sessionId, p.intentId]));
  const events: Stripe.Event[] = [];
  for await (const e of stripe.events.list({ limit: 100, created: { gte: since } })) {
    const object = e.data.object as { id?: string; payment_intent?: string | null };
    if (ours.has(object.id ?? '') || ours.has(object.payment_intent ?? '')) events.push(e);
  }
  return events.reverse();
}

/** One event POSTed to the public /webhooks/stripe through the gateway, signed now as Stripe signs (with stripe-node's own test signer). */
async function deliver(o: PaymentsBenchOptions, stripe: Stripe, agent: Agent, payload: string): Promise<{ status: number; ms: number; body: string }> {
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: o.webhookSecret, timestamp: Math.floor(Date.now() / 1000) });
  const started = performance.now();
  const res = await agentRequest(agent, new URL('/webhooks/stripe', o.gatewayUrl), { method: 'POST', headers: { 'stripe-signature': signature }, body: payload, timeoutMs: 30_000 });
  return { status: res.status, ms: performance.now() - started, body: res.body };
}

/** Resolves once billing shows every one of the invoices paid (and throws if it does not within `timeoutMs`). */
async function waitUntilPaid(o: PaymentsBenchOptions, invoiceIds: string[], timeoutMs: number): Promise<void> {
  const ids = `{${invoiceIds.join(',')}}`;
  for (const deadline = Date.now() + timeoutMs; ; await sleep(100)) {
    const [row] = await o.sql<{ n: number }[]>`select count(*)::int as n from billing.invoices where id = any(${ids}::uuid[]) and status = 'paid' and amount_due = 0`;
    if (row?.n === invoiceIds.length) return;
    if (Date.now() > deadline) throw new Error(`billing shows ${row?.n ?? 0} of ${invoiceIds.length} invoices paid after ${timeoutMs} ms`);
  }
}

export interface CheckoutBenchResult {
  latency: Summary;
  ratePerS: number;
  achievedRatePerS: number;
  /** CPU ms per session created, by part of the system (the emulator as `stripe`). */
  cpu: CpuTimes;
}

/**
 * POST /api/payments/checkout through the gateway, open loop at `ratePerS`, each for its own
 * issued invoice: the replica read, the amounts, the SDK's request to the emulator (its
 * idempotency key) and the session recorded. A tenth as many first, not counted.
 */
export async function runCheckoutBench(o: PaymentsBenchOptions, count: number, ratePerS: number): Promise<CheckoutBenchResult> {
  const warmup = Math.max(2, Math.floor(count / 10));
  const invoices = await seedIssuedInvoices(o, warmup + count, 'BENCH-CHK');
  const agent = newAgent();
  try {
    const run = async (batch: IssuedInvoice[]) => {
      const ms: number[] = [];
      const failures: string[] = [];
      const { achievedRatePerS } = await paced(batch, ratePerS, async (inv) => {
        try {
          ms.push((await createSession(o, agent, inv.id)).ms);
        } catch (err) {
          failures.push((err as Error).message);
        }
      });
      if (failures.length) throw new Error(`${failures.length} of ${batch.length} checkouts failed, e.g. ${failures[0]}`);
      return { ms, achievedRatePerS };
    };
    await run(invoices.slice(0, warmup));
    const before = await o.sampler.sample();
    const measured = await run(invoices.slice(warmup));
    const after = await o.sampler.sample();
    return { latency: summarize(measured.ms), ratePerS, achievedRatePerS: measured.achievedRatePerS, cpu: scaleCpu(cpuBetween(before, after), 1 / count) };
  } finally {
    agent.destroy();
  }
}

export interface WebhookRun {
  /** Deliveries (a duplicate counts) and the distinct events among them. */
  deliveries: number;
  distinct: number;
  /** Time from sending a delivery to its 2xx. */
  latency: Summary;
  /** 2xx deliveries per second over the run. */
  eventsPerS: number;
  non2xx: number;
  /** CPU ms per delivery, by part of the system (the emulator as `stripe`). */
  cpu: CpuTimes;
}

export interface WebhookBenchResult {
  invoicesPerRun: number;
  duplicateShare: number;
  /** Open loop at `ratePerS` (the target's rate). */
  paced: WebhookRun & { ratePerS: number; achievedRatePerS: number };
  /** Closed loop over `concurrency` connections: the most it takes. */
  closed: WebhookRun & { concurrency: number };
  /** Events of each type in one run's deliveries. */
  types: Record<string, number>;
}

/** How far (in places of the stream) a delivery may land from its event's own place; a duplicate's up to 2 s later at 200/s. */
const REORDER = 40;
const DUPLICATE_DELAY = 400;

/**
 * Webhook intake: for each run, `invoices` issued invoices paid by card on the emulator; every
 * event it emitted for them (payment_intent.created, charge.succeeded, payment_intent.succeeded,
 * checkout.session.completed, what an endpoint subscribed to all events receives), a share of
 * them a second time, reordered near their places with a fixed seed, POSTed signed to
 * /webhooks/stripe. Handling fetches the PaymentIntent from the emulator, as it would from
 * Stripe, when an event's own object does not tell enough. After each run: exactly
 * one ledger row per distinct event, none failed, every invoice paid once, and billing shows it
 * paid before the next run starts.
 */
export async function runWebhookBench(
  o: PaymentsBenchOptions,
  k: { invoices: number; duplicateShare: number; ratePerS: number; concurrency: number },
): Promise<WebhookBenchResult> {
  const stripe = stripeOf(o);
  const agent = newAgent();
  const random = rng(12);
  const prepare = async (count: number, label: string) => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const { invoices, paid } = await paidInvoices(o, agent, count, label);
    const events = await eventsOf(stripe, paid, since);
    // Stripe sends the event's JSON pretty-printed; the signature is over exactly these bytes.
    const bodies = new Map(events.map((e) => [e.id, JSON.stringify(e, null, 2)]));
    // A steady stream, as an endpoint sees payments going on: each event is sent near its place
    // among all events (the order of payment), displaced by up to REORDER places so that the
    // events of one payment cross, and a duplicate up to DUPLICATE_DELAY places later. (Shuffling
    // the whole run instead made nearly every payment's first event arrive in its first seconds: a
    // burst of payments at several times the rate, not the steady intake measured here.)
    const placed = events.map((e, i) => ({ e, at: i + random() * REORDER }));
    for (const [i, e] of events.entries()) if (random() < k.duplicateShare) placed.push({ e, at: i + random() * DUPLICATE_DELAY });
    placed.sort((a, b) => a.at - b.at);
    return { invoices, paid, events, deliveries: placed.map(({ e }) => ({ id: e.id, type: e.type, body: bodies.get(e.id)! })) };
  };
  type Prepared = Awaited<ReturnType<typeof prepare>>;
  const verify = async (p: Prepared) => {
    const ids = `{${p.events.map((e) => e.id).join(',')}}`;
    const [ledger] = await o.sql<{ n: number; failed: number }[]>`
      select count(*)::int as n, count(*) filter (where status = 'failed')::int as failed from payments.webhook_events where stripe_event_id = any(${ids}::text[])`;
    if (ledger?.n !== p.events.length || ledger.failed !== 0) throw new Error(`webhook ledger: ${ledger?.n} rows (${ledger?.failed} failed) for ${p.events.length} distinct events`);
    const intents = `{${p.paid.map((s) => s.intentId).join(',')}}`;
    const [payments] = await o.sql<{ n: number; succeeded: number }[]>`
      select count(*)::int as n, count(*) filter (where status = 'succeeded')::int as succeeded from payments.payments where stripe_payment_intent_id = any(${intents}::text[])`;
    if (payments?.n !== p.paid.length || payments.succeeded !== p.paid.length) throw new Error(`payments: ${payments?.n} rows (${payments?.succeeded} succeeded) for ${p.paid.length} paid sessions`);
    await waitUntilPaid(o, p.invoices.map((i) => i.id), 60_000);
  };
  const measure = async (p: Prepared, send: (fn: (d: Prepared['deliveries'][number]) => Promise<void>) => Promise<unknown>) => {
    const ms: number[] = [];
    let non2xx = 0;
    let example = '';
    const before = await o.sampler.sample();
    const started = performance.now();
    const result = await send(async (d) => {
      const res = await deliver(o, stripe, agent, d.body);
      if (res.status >= 200 && res.status < 300) ms.push(res.ms);
      else {
        non2xx++;
        example ||= `${d.type} → ${res.status} ${res.body.slice(0, 200)}`;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    const after = await o.sampler.sample();
    if (non2xx > 0) o.log(`webhooks: ${non2xx} deliveries not 2xx, e.g. ${example}`);
    await verify(p);
    const run: WebhookRun = {
      deliveries: p.deliveries.length,
      distinct: p.events.length,
      latency: summarize(ms),
      eventsPerS: ms.length / seconds,
      non2xx,
      cpu: scaleCpu(cpuBetween(before, after), 1 / p.deliveries.length),
    };
    return { run, result };
  };
  try {
    const warm = await prepare(Math.max(10, Math.floor(k.invoices / 10)), 'BENCH-WHW');
    await paced(warm.deliveries, k.ratePerS, async (d) => void (await deliver(o, stripe, agent, d.body)));
    await verify(warm);

    o.log(`webhooks: paying ${k.invoices} invoices for the paced run`);
    const forPaced = await prepare(k.invoices, 'BENCH-WHP');
    o.log(`webhooks: ${forPaced.deliveries.length} deliveries of ${forPaced.events.length} events at ${k.ratePerS}/s`);
    const pacedRun = await measure(forPaced, (fn) => paced(forPaced.deliveries, k.ratePerS, fn));

    o.log(`webhooks: paying ${k.invoices} invoices for the closed-loop run`);
    const forClosed = await prepare(k.invoices, 'BENCH-WHC');
    o.log(`webhooks: ${forClosed.deliveries.length} deliveries of ${forClosed.events.length} events over ${k.concurrency} connections`);
    const closedRun = await measure(forClosed, (fn) => pool(forClosed.deliveries, k.concurrency, fn));

    const types: Record<string, number> = {};
    for (const d of forPaced.deliveries) types[d.type] = (types[d.type] ?? 0) + 1;
    return {
      invoicesPerRun: k.invoices,
      duplicateShare: k.duplicateShare,
      paced: { ...pacedRun.run, ratePerS: k.ratePerS, achievedRatePerS: (pacedRun.result as { achievedRatePerS: number }).achievedRatePerS },
      closed: { ...closedRun.run, concurrency: k.concurrency },
      types,
    };
  } finally {
    agent.destroy();
  }
}

export interface PaidBenchResult {
  count: number;
  ratePerS: number;
  achievedRatePerS: number;
  /** The webhook's 2xx → GET /api/invoices/:id answering paid with the amount paid. */
  shown: Summary;
  /** The webhook's 2xx → billing's commit of the paid invoice (its outbox NOTIFY). */
  committed: Summary;
  /** POST /webhooks/stripe of the checkout.session.completed, to its 2xx. */
  webhook: Summary;
  /** GETs that answered not yet paid after the commit (should be none). */
  earlyReads: number;
}

interface Watch {
  invoiceId: string;
  total: string;
  answeredAt: number | null;
  committedAt: number | null;
  shownAt: number | null;
  done: () => void;
}

/**
 * Payment succeeded → invoice shown paid. For each paid session, its checkout.session.completed
 * (the event the issue names) is POSTed alone, at `ratePerS`; from its 2xx the payment goes
 * payments' outbox → relay → broker → billing, which marks the invoice paid. The bench LISTENs on
 * billing's outbox channel, whose NOTIFY fires at the commit of that transaction (it writes
 * billing.invoice.paid.v1), looks up which watched invoices are paid now, and sends one
 * GET /api/invoices/:id through the gateway for each: the sample ends when that answer shows
 * `paid` with the whole amount paid. A GET still answering unpaid is repeated every 2 ms.
 */
export async function runPaidBench(o: PaymentsBenchOptions, count: number, ratePerS: number): Promise<PaidBenchResult> {
  const stripe = stripeOf(o);
  const agent = newAgent();
  const warmup = Math.max(2, Math.floor(count / 10));
  const since = Math.floor(Date.now() / 1000) - 1;
  const { invoices, paid } = await paidInvoices(o, agent, warmup + count, 'BENCH-PAID');
  const totals = new Map(invoices.map((i) => [i.id, i.total]));
  const completed = new Map<string, string>();
  for await (const e of stripe.events.list({ limit: 100, type: 'checkout.session.completed', created: { gte: since } })) completed.set((e.data.object as { id: string }).id, JSON.stringify(e, null, 2));

  const watching = new Map<string, Watch>();
  let earlyReads = 0;
  const show = async (w: Watch) => {
    for (;;) {
      const res = await agentRequest(agent, new URL(`/api/invoices/${w.invoiceId}`, o.gatewayUrl), { headers: { authorization: `Bearer ${o.apiToken}` }, timeoutMs: 30_000 });
      const body = JSON.parse(res.body) as { status?: string; amountPaid?: string };
      if (res.status === 200 && body.status === 'paid' && body.amountPaid === w.total) break;
      earlyReads++;
      await sleep(2);
    }
    w.shownAt = performance.now();
    watching.delete(w.invoiceId);
    w.done();
  };
  let checking = false;
  let again = false;
  const check = async (noticedAt: number) => {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    try {
      const open = [...watching.values()].filter((w) => w.committedAt === null);
      if (open.length === 0) return;
      const rows = await o.sql<{ id: string }[]>`select id::text from billing.invoices where id = any(${`{${open.map((w) => w.invoiceId).join(',')}}`}::uuid[]) and status = 'paid'`;
      for (const row of rows) {
        const w = watching.get(row.id)!;
        w.committedAt = noticedAt;
        void show(w);
      }
    } finally {
      checking = false;
      if (again) {
        again = false;
        void check(performance.now());
      }
    }
  };
  const listener = await o.sql.listen('billing_outbox', () => void check(performance.now()));
  // A safety net only: a missed notification would make a sample look slower, never faster.
  const net = setInterval(() => void check(performance.now()), 100);
  try {
    const run = async (batch: PaidSession[]) => {
      const watches: Watch[] = [];
      const webhookMs: number[] = [];
      const { achievedRatePerS } = await paced(batch, ratePerS, async (s) => {
        const body = completed.get(s.sessionId);
        if (!body) throw new Error(`no checkout.session.completed for ${s.sessionId}`);
        let done!: () => void;
        const shown = new Promise<void>((resolve) => (done = resolve));
        const w: Watch = { invoiceId: s.invoiceId, total: totals.get(s.invoiceId)!, answeredAt: null, committedAt: null, shownAt: null, done };
        watching.set(w.invoiceId, w);
        watches.push(w);
        const res = await deliver(o, stripe, agent, body);
        if (res.status !== 200) throw new Error(`checkout.session.completed → ${res.status} ${res.body.slice(0, 200)}`);
        w.answeredAt = performance.now();
        webhookMs.push(res.ms);
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`invoice ${w.invoiceId} not shown paid 30 s after its webhook`)), 30_000)));
        await Promise.race([shown, late]).finally(() => clearTimeout(timer));
      });
      // A commit before the bench read the 2xx (the response still on its way) counts as 0.
      const since2xx = (t: number | null, w: Watch) => Math.max(0, t! - w.answeredAt!);
      return {
        achievedRatePerS,
        shown: summarize(watches.map((w) => since2xx(w.shownAt, w))),
        committed: summarize(watches.map((w) => since2xx(w.committedAt, w))),
        webhook: summarize(webhookMs),
      };
    };
    await run(paid.slice(0, warmup));
    earlyReads = 0;
    const measured = await run(paid.slice(warmup));
    return { count, ratePerS, ...measured, earlyReads };
  } finally {
    clearInterval(net);
    await listener.unlisten();
    agent.destroy();
  }
}
