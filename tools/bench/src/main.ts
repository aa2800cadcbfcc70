// `npm run bench`: the performance scenarios on a throwaway platform; prints one table and a JSON line.
import os from 'node:os';
import { createDatabase } from '@atelier/platform';
import { loadBenchConfig, BENCH_INTERNAL_SECRET, STANDALONE_SCENARIOS } from './config.js';
import { createApiToken, signUpOwner, type Owner } from './api.js';
import { CpuSampler, cpuBetween } from './cpu.js';
import { BENCH_STRIPE_SECRET_KEY, BENCH_STRIPE_WEBHOOK_SECRET, log, startEnvironment, type BenchEnvironment } from './environment.js';
import { runCheckoutBench, runPaidBench, runWebhookBench, type PaymentsBenchOptions } from './payments-bench.js';
import { runAttachmentBench } from './attachment-bench.js';
import { runEventLatencyBench } from './event-latency-bench.js';
import { runExportBench } from './export-bench.js';
import { runImportBench } from './import-bench.js';
import { runListBench } from './list-bench.js';
import { runLoginBench } from './login-bench.js';
import { runPdfBench } from './pdf-bench.js';
import { runFromTimeBench } from './fromtime-bench.js';
import { runInvoiceListBench } from './invoice-list-bench.js';
import { pdfJson } from './report-billing.js';
import { runReorderBench } from './reorder-bench.js';
import { runTimeReadBench, runTimelogBench, seedTime } from './time-bench.js';
import { buildRows, machineLine, type Host, type Results } from './report.js';
import { runSearchBench } from './search-bench.js';
import { seedAgency, seedClients } from './seed.js';
import { runWebBench } from './web-bench.js';
import { sleep } from './stats.js';
import { passes, renderTable } from './table.js';

const config = loadBenchConfig();
const started = performance.now();
let env: BenchEnvironment | null = null;
let exitCode = 0;

let interrupted = false;
const onSignal = () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  log('interrupted; cleaning up (again to quit at once)');
  void (env?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

try {
  if (![...config.BENCH_SCENARIOS].some((s) => !STANDALONE_SCENARIOS.has(s))) {
    await standalone();
    process.exit(0);
  }
  env = await startEnvironment(config);

  log('signing up the measured agency through the API');
  const owner = await signUpOwner(env.gatewayUrl, 'Bench Measured Agency');
  const apiToken = await createApiToken(env.gatewayUrl, owner);

  log(`seeding ${config.BENCH_AGENCIES} agencies x ${config.BENCH_CLIENTS_PER_AGENCY} clients`);
  const seed = await seedClients(env.owner.sql, {
    measuredAgencyId: owner.agencyId,
    otherAgencies: config.BENCH_AGENCIES - 1,
    clientsPerAgency: config.BENCH_CLIENTS_PER_AGENCY,
    parallel: config.BENCH_SEED_PARALLEL,
  });
  log(`seeded ${seed.clients} clients in ${seed.seconds.toFixed(1)} s`);
  // One more agency each for the export and the search scenarios, of the sizes the issue names.
  const started = env;
  const seedBig = async (label: string, clients: number) => {
    const bigOwner = await signUpOwner(started.gatewayUrl, `Bench ${label} Agency`);
    const agency = { owner: bigOwner, apiToken: await createApiToken(started.gatewayUrl, bigOwner), clients };
    log(`seeding ${clients} clients into the ${label.toLowerCase()} agency`);
    const seeded = await seedAgency(started.owner.sql, bigOwner.agencyId, clients, config.BENCH_SEED_PARALLEL);
    log(`seeded them in ${seeded.seconds.toFixed(1)} s`);
    return { ...agency, seed: seeded };
  };
  const exportAgency = config.BENCH_SCENARIOS.has('export') ? await seedBig('Export', config.BENCH_EXPORT_CLIENTS) : null;
  const searchAgency = config.BENCH_SCENARIOS.has('search') ? await seedBig('Search', config.BENCH_SEARCH_CLIENTS) : null;
  // The seed wrote ~1 GB of WAL: checkpoint now rather than in the middle of a measurement. And
  // vacuum what it wrote, as autovacuum would have on a live database: otherwise autovacuum runs
  // in the middle of a measurement, and until it has, every index-only scan (a list's total)
  // visits the heap too.
  await vacuumSeeded(config.DATABASE_ADMIN_URL, env.database);
  await checkpoint(config.DATABASE_ADMIN_URL);

  const sampler = new CpuSampler(env.platform, env.owner.sql, env.database, env.stripe ? { stripe: env.stripe } : {});
  const host = await measureRest(sampler);
  if (host.busyCoresAtRest > 0.25) log(`warning: ${host.busyCoresAtRest.toFixed(2)} of ${host.cores} cores are busy with other work; numbers will be noisy`);
  const crmPid = env.platform.services.crm?.process.pid;
  if (!crmPid) throw new Error('crm-service has no process id');
  const run = config.BENCH_SCENARIOS;
  const results: Results = {
    list: run.has('list') ? await listScenario(env, owner, apiToken, sampler) : null,
    events: run.has('events') ? await eventScenario(env, owner, apiToken, sampler) : null,
    export: exportAgency ? await exportScenario(env, exportAgency.apiToken, exportAgency.clients, crmPid, sampler) : null,
    search: searchAgency ? await searchScenario(env, searchAgency.owner, searchAgency.apiToken, searchAgency.clients, sampler) : null,
    // Last: its 100,000 events keep the relay and the timeline busy for a while after it completes.
    import: run.has('import') ? await importScenario(env, owner, apiToken, crmPid, sampler) : null,
    login: run.has('login') ? await loginScenario(env) : null,
    web: run.has('web') ? await webScenario(env, owner) : null,
    reorder: run.has('reorder') ? await reorderScenario(env, apiToken, sampler) : null,
    time: run.has('time') ? await timeScenario(env, apiToken, owner, sampler) : null,
    timelog: run.has('timelog') ? await timelogScenario(env, apiToken, owner, sampler) : null,
    fromtime: run.has('fromtime') ? await fromTimeScenario(env, apiToken, owner) : null,
    invoicelist: run.has('invoicelist') ? await invoiceListScenario(env, sampler) : null,
    attachments: run.has('attachments') ? await attachmentScenario(env, apiToken, crmPid) : null,
    pdf: run.has('pdf') ? await pdfScenario() : null,
    ...(await paymentScenarios(env, apiToken, owner, sampler)),
  };

  const rows = buildRows(host, results, { eventMs: config.BENCH_BASELINE_EVENT_CPU_MS, listMs: config.BENCH_BASELINE_LIST_CPU_MS });
  process.stdout.write(`\n${renderTable(rows)}\n\n${machineLine(rows, host, { clients: seed, exportAgency: exportAgency?.seed ?? null, searchAgency: searchAgency?.seed ?? null }, results)}\n`);
} catch (err) {
  exitCode = 1;
  log(`the bench broke: ${(err as Error).stack ?? String(err)}`);
  for (const service of Object.values(env?.platform.services ?? {})) {
    const tail = service.output().trim().split('\n').slice(-5).join('\n');
    if (tail) log(`last output of ${service.name}:\n${tail}`);
  }
} finally {
  if (!interrupted) {
    log('cleaning up');
    await env?.stop();
    log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
}
if (!interrupted) process.exit(exitCode);

function listScenario(env: BenchEnvironment, owner: Owner, apiToken: string, sampler: CpuSampler) {
  log(`client list: ${config.BENCH_CONNECTIONS} connections, ${config.BENCH_WARMUP_S} s warm-up each, then ${config.BENCH_DURATION_S} s each in ${config.BENCH_ROUNDS} alternating slices`);
  return runListBench({
    gatewayUrl: env.gatewayUrl,
    crmUrl: env.crmUrl,
    apiToken,
    internalSecret: BENCH_INTERNAL_SECRET,
    principal: { userId: owner.userId, agencyId: owner.agencyId },
    expectedTotal: config.BENCH_CLIENTS_PER_AGENCY,
    connections: config.BENCH_CONNECTIONS,
    durationS: config.BENCH_DURATION_S,
    warmupS: config.BENCH_WARMUP_S,
    rounds: config.BENCH_ROUNDS,
    sampler,
  });
}

function eventScenario(env: BenchEnvironment, owner: Owner, apiToken: string, sampler: CpuSampler) {
  log(`event latency: ${config.BENCH_EVENT_WARMUP} warm-up + ${config.BENCH_EVENT_COUNT} clients created at ${config.BENCH_EVENT_RATE}/s`);
  return runEventLatencyBench({
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    sql: env.owner.sql,
    ratePerS: config.BENCH_EVENT_RATE,
    count: config.BENCH_EVENT_COUNT,
    settleTimeoutMs: 30_000,
    warmupCount: config.BENCH_EVENT_WARMUP,
    sampler,
  });
}

function exportScenario(env: BenchEnvironment, apiToken: string, clients: number, crmPid: number, sampler: CpuSampler) {
  log(`CSV export: GET /api/exports/clients.csv of ${clients} clients`);
  return runExportBench({ gatewayUrl: env.gatewayUrl, apiToken, crmPid, expectedRows: clients, timeoutMs: 60_000, sampler });
}

function searchScenario(env: BenchEnvironment, owner: Owner, apiToken: string, clients: number, sampler: CpuSampler) {
  log(`search: ${config.BENCH_SEARCH_REQUESTS} requests per endpoint at ${config.BENCH_SEARCH_RATE}/s, then over ${config.BENCH_SEARCH_CONNECTIONS} connections back to back, ${clients}-client agency`);
  return runSearchBench({
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    sql: env.owner.sql,
    agencyClients: clients,
    requests: config.BENCH_SEARCH_REQUESTS,
    ratePerS: config.BENCH_SEARCH_RATE,
    connections: config.BENCH_SEARCH_CONNECTIONS,
    sampler,
  });
}

function importScenario(env: BenchEnvironment, owner: Owner, apiToken: string, crmPid: number, sampler: CpuSampler) {
  log(
    `CSV import: ${config.BENCH_IMPORT_SMALL_ROWS}, then ${config.BENCH_IMPORT_ROWS} contacts over ${config.BENCH_IMPORT_CLIENTS} existing clients, each beside the same rows inserted into LIKE crm.contacts INCLUDING ALL`,
  );
  return runImportBench({
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    sql: env.owner.sql,
    crmPid,
    rows: config.BENCH_IMPORT_ROWS,
    smallRows: config.BENCH_IMPORT_SMALL_ROWS,
    clients: config.BENCH_IMPORT_CLIENTS,
    timeoutMs: 300_000,
    sampler,
  });
}

function reorderScenario(env: BenchEnvironment, apiToken: string, sampler: CpuSampler) {
  log(`task board reorder: ${config.BENCH_REORDER_WARMUP} warm-up + ${config.BENCH_REORDER_COUNT} drags one after another on a ${config.BENCH_REORDER_TASKS}-task board`);
  return runReorderBench({ gatewayUrl: env.gatewayUrl, apiToken, tasks: config.BENCH_REORDER_TASKS, reorders: config.BENCH_REORDER_COUNT, warmup: config.BENCH_REORDER_WARMUP, sampler });
}

function attachmentScenario(env: BenchEnvironment, apiToken: string, crmPid: number) {
  log(`attachments: a ${config.BENCH_ATTACHMENT_MB} MB file uploaded and downloaded ${config.BENCH_ATTACHMENT_ROUNDS} times through the gateway (blob store: ${process.env.BLOB_STORE ?? 'postgres'})`);
  return runAttachmentBench({ gatewayUrl: env.gatewayUrl, apiToken, crmPid, bytes: config.BENCH_ATTACHMENT_MB * 2 ** 20, rounds: config.BENCH_ATTACHMENT_ROUNDS, timeoutMs: 300_000 });
}

function loginScenario(env: BenchEnvironment) {
  log('login: 30 sign-ins one after another, then 20 wrong passwords for one account at once');
  return runLoginBench({ gatewayUrl: env.gatewayUrl, logins: 30, parallelGuesses: 20, limit: 10 });
}

async function webScenario(env: BenchEnvironment, owner: Owner) {
  // The measured agency's list, and one of its clients with a timeline entry (created through the API).
  const created = await fetch(`${env.gatewayUrl}/api/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: env.gatewayUrl, cookie: owner.cookie },
    body: JSON.stringify({ name: 'Bench Web Client Ltd', email: 'web@bench.example', address: { city: 'Leeds', country: 'GB' } }),
  });
  if (created.status !== 201) throw new Error(`web: creating the client page's client answered ${created.status}`);
  const client = (await created.json()) as { id: string };
  const pages = [
    { label: '/clients', path: '/clients' },
    { label: '/clients/:id', path: `/clients/${client.id}` },
  ];
  const others = ['/', '/contacts', '/timeline', '/imports/new', '/invoices', '/invoices/new'].map((path) => ({ label: path, path }));
  log(`web: LCP of ${pages.map((p) => p.label).join(' and ')} at ${config.BENCH_WEB_RTTS.join(', ')} ms RTT, ${config.BENCH_WEB_RUNS} runs each`);
  return runWebBench({ gatewayUrl: env.gatewayUrl, cookie: owner.cookie, pages, routes: [...pages, ...others], rtts: config.BENCH_WEB_RTTS, runs: config.BENCH_WEB_RUNS });
}

/** A client of the measured agency, created through the API, once projects' replica has it. */
async function projectsClient(env: BenchEnvironment, apiToken: string, name: string): Promise<string> {
  const res = await fetch(new URL('/api/clients', env.gatewayUrl), { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` }, body: JSON.stringify({ name, currency: 'EUR' }) });
  const client = (await res.json()) as { id?: string };
  if (res.status !== 201 || !client.id) throw new Error(`${name}: creating the client answered ${res.status}`);
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
    const [row] = await env.owner.sql<{ id: string }[]>`select id from projects.clients where id = ${client.id}`;
    if (row) return client.id;
  }
  throw new Error(`${name}: projects never heard of the client`);
}

async function timeScenario(env: BenchEnvironment, apiToken: string, owner: Owner, sampler: CpuSampler) {
  const clientId = await projectsClient(env, apiToken, 'Bench Time Client');
  const year = 2026;
  log(`time: seeding ${config.BENCH_TIME_MEMBERS} members × ${config.BENCH_TIME_WORKDAYS} days × ${config.BENCH_TIME_ENTRIES_PER_DAY} entries over ${config.BENCH_TIME_PROJECTS} projects, and ${config.BENCH_TIME_AGENCIES - 1} other agencies`);
  const seed = await seedTime(env.owner.sql, {
    measuredAgencyId: owner.agencyId,
    clientId,
    members: config.BENCH_TIME_MEMBERS,
    projects: config.BENCH_TIME_PROJECTS,
    workDays: config.BENCH_TIME_WORKDAYS,
    entriesPerDay: config.BENCH_TIME_ENTRIES_PER_DAY,
    otherAgencies: config.BENCH_TIME_AGENCIES - 1,
    otherEntries: config.BENCH_TIME_OTHER_ENTRIES,
    year,
  });
  log(`time: seeded ${seed.entries} + ${seed.otherEntries} entries in ${seed.seconds.toFixed(1)} s; ${config.BENCH_TIME_REQUESTS} timesheet weeks and project summaries at ${config.BENCH_TIME_RATE}/s`);
  const result = await runTimeReadBench({ gatewayUrl: env.gatewayUrl, apiToken, seed, year, requests: config.BENCH_TIME_REQUESTS, ratePerS: config.BENCH_TIME_RATE, sampler });
  return { result, seeded: { entries: seed.entries, agencies: config.BENCH_TIME_AGENCIES } };
}

async function timelogScenario(env: BenchEnvironment, apiToken: string, owner: Owner, sampler: CpuSampler) {
  const clientId = await projectsClient(env, apiToken, 'Bench Budget Client');
  log(`timelog: ${config.BENCH_TIMELOG_WARMUP} warm-up + ${config.BENCH_TIMELOG_COUNT} entries at ${config.BENCH_TIMELOG_RATE}/s, each crossing a budget threshold`);
  return runTimelogBench({
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    clientId,
    sql: env.owner.sql,
    ratePerS: config.BENCH_TIMELOG_RATE,
    count: config.BENCH_TIMELOG_COUNT,
    warmup: config.BENCH_TIMELOG_WARMUP,
    settleTimeoutMs: 30_000,
    sampler,
  });
}

async function fromTimeScenario(env: BenchEnvironment, apiToken: string, owner: Owner) {
  const clientId = await billingClient(env, apiToken, 'Bench From-Time Client');
  log(`fromtime: 1 warm-up + ${config.BENCH_FROMTIME_ROUNDS} drafts from ${config.BENCH_FROMTIME_ENTRIES} unbilled entries over ${config.BENCH_FROMTIME_TASKS} tasks`);
  return runFromTimeBench({
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    clientId,
    sql: env.owner.sql,
    entries: config.BENCH_FROMTIME_ENTRIES,
    tasks: config.BENCH_FROMTIME_TASKS,
    rounds: config.BENCH_FROMTIME_ROUNDS,
    settleTimeoutMs: 60_000,
  });
}

/**
 * On an agency of its own, like the export and search scenarios: the figure is the list of an
 * agency with 100,000 issued invoices, not of one that also holds the from-time scenario's
 * drafts of 5,000 entries each (1 MB of time entry ids a page).
 */
async function invoiceListScenario(env: BenchEnvironment, sampler: CpuSampler) {
  const owner = await signUpOwner(env.gatewayUrl, 'Bench Invoice List Agency');
  const apiToken = await createApiToken(env.gatewayUrl, owner);
  const clientIds = await Promise.all(Array.from({ length: config.BENCH_INVOICELIST_CLIENTS }, (_, i) => billingClient(env, apiToken, `Bench Invoice List Client ${i + 1}`)));
  log(`invoicelist: seeding ${config.BENCH_INVOICELIST_INVOICES} invoices over ${config.BENCH_INVOICELIST_CLIENTS} clients; ${config.BENCH_INVOICELIST_REQUESTS} list requests at ${config.BENCH_INVOICELIST_RATE}/s`);
  return runInvoiceListBench({
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    clientIds,
    sql: env.owner.sql,
    invoices: config.BENCH_INVOICELIST_INVOICES,
    requests: config.BENCH_INVOICELIST_REQUESTS,
    ratePerS: config.BENCH_INVOICELIST_RATE,
    sampler,
  });
}

/** Checkout creation, webhook intake and payment → paid, each on its own issued invoices of one client. */
async function paymentScenarios(env: BenchEnvironment, apiToken: string, owner: Owner, sampler: CpuSampler) {
  const run = config.BENCH_SCENARIOS;
  if (!run.has('checkout') && !run.has('webhooks') && !run.has('paid')) return { checkout: null, webhooks: null, paid: null };
  if (!env.stripe) throw new Error('payment scenarios need the Stripe emulator');
  const o: PaymentsBenchOptions = {
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    clientId: await billingClient(env, apiToken, 'Bench Payments Client'),
    sql: env.owner.sql,
    stripeUrl: env.stripe.url,
    stripeKey: BENCH_STRIPE_SECRET_KEY,
    webhookSecret: BENCH_STRIPE_WEBHOOK_SECRET,
    sampler,
    log,
  };
  let checkout = null;
  if (run.has('checkout')) {
    log(`checkout: ${config.BENCH_CHECKOUT_COUNT} Checkout Sessions at ${config.BENCH_CHECKOUT_RATE}/s, each for its own issued invoice`);
    checkout = await runCheckoutBench(o, config.BENCH_CHECKOUT_COUNT, config.BENCH_CHECKOUT_RATE);
  }
  let webhooks = null;
  if (run.has('webhooks')) {
    log(`webhooks: the events of ${config.BENCH_WEBHOOK_INVOICES} card payments per run, ${config.BENCH_WEBHOOK_DUPLICATES * 100} % duplicated, at ${config.BENCH_WEBHOOK_RATE}/s and over ${config.BENCH_WEBHOOK_CONCURRENCY} connections`);
    webhooks = await runWebhookBench(o, { invoices: config.BENCH_WEBHOOK_INVOICES, duplicateShare: config.BENCH_WEBHOOK_DUPLICATES, ratePerS: config.BENCH_WEBHOOK_RATE, concurrency: config.BENCH_WEBHOOK_CONCURRENCY });
  }
  let paid = null;
  if (run.has('paid')) {
    log(`paid: ${config.BENCH_PAID_COUNT} checkout.session.completed at ${config.BENCH_PAID_RATE}/s, each until GET /api/invoices/:id shows the invoice paid`);
    paid = await runPaidBench(o, config.BENCH_PAID_COUNT, config.BENCH_PAID_RATE);
  }
  return { checkout, webhooks, paid };
}

/** A client created through the API that billing's replica knows. */
async function billingClient(env: BenchEnvironment, apiToken: string, name: string): Promise<string> {
  const clientId = await projectsClient(env, apiToken, name);
  for (const deadline = Date.now() + 30_000; ; await sleep(50)) {
    const [row] = await env.owner.sql<{ id: string }[]>`select id from billing.clients where id = ${clientId}`;
    if (row) return clientId;
    if (Date.now() > deadline) throw new Error(`billing never heard of ${name}`);
  }
}

function pdfScenario() {
  log(
    `invoice PDF: ${config.BENCH_PDF_RENDERS} pooled and ${config.BENCH_PDF_FRESH_RENDERS} browser-per-PDF renders of a 1-page invoice, ${config.BENCH_PDF_CONCURRENCY} at once, in ${config.BENCH_PDF_ROUNDS} alternating rounds; then ${config.BENCH_PDF_LARGE_RUNS} of ${config.BENCH_PDF_LARGE_LINES} lines`,
  );
  return runPdfBench({
    pooledRenders: config.BENCH_PDF_RENDERS,
    freshRenders: config.BENCH_PDF_FRESH_RENDERS,
    concurrency: config.BENCH_PDF_CONCURRENCY,
    rounds: config.BENCH_PDF_ROUNDS,
    largeLines: config.BENCH_PDF_LARGE_LINES,
    largeRuns: config.BENCH_PDF_LARGE_RUNS,
    log,
  });
}

/**
 * Only scenarios that measure code in this process (the PDF renderer): no platform, no seed. The
 * host's business is the whole machine's, as nothing of ours runs yet.
 */
async function standalone() {
  const before = os.cpus();
  const started = performance.now();
  await sleep(2000);
  const busyMs = os.cpus().reduce((sum, cpu, i) => {
    const was = before[i]!.times;
    return sum + (cpu.times.user - was.user) + (cpu.times.nice - was.nice) + (cpu.times.sys - was.sys) + (cpu.times.irq - was.irq);
  }, 0);
  const host: Host = { cores: os.cpus().length, busyCoresAtRest: busyMs / (performance.now() - started) };
  if (host.busyCoresAtRest > 0.25) log(`warning: ${host.busyCoresAtRest.toFixed(2)} of ${host.cores} cores are busy with other work; numbers will be noisy`);
  const none = { list: null, events: null, export: null, search: null, import: null, login: null, web: null, reorder: null, time: null, timelog: null, fromtime: null, invoicelist: null, attachments: null, checkout: null, webhooks: null, paid: null };
  const results: Results = { ...none, pdf: await pdfScenario() };
  const rows = buildRows(host, results);
  const line = JSON.stringify({ bench: 'atelier', pass: rows.every((r) => passes(r) !== false), host: { cores: host.cores, busyCoresAtRest: Math.round(host.busyCoresAtRest * 100) / 100 }, pdf: results.pdf && pdfJson(results.pdf) });
  process.stdout.write(`\n${renderTable(rows)}\n\n${line}\n`);
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

/** How busy the machine is while the platform idles: 2 s of nothing but watching. */
async function measureRest(sampler: CpuSampler): Promise<Host> {
  const before = await sampler.sample();
  const started = performance.now();
  await sleep(2000);
  const cpu = cpuBetween(before, await sampler.sample());
  const busy = Object.values(cpu).reduce((sum, ms) => sum + ms, 0);
  return { cores: os.cpus().length, busyCoresAtRest: busy / (performance.now() - started) };
}

async function vacuumSeeded(adminUrl: string, database: string): Promise<void> {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const admin = createDatabase(url.toString(), { max: 1, applicationName: 'bench' });
  try {
    await admin.sql`vacuum (analyze) identity.agencies, crm.clients`;
  } finally {
    await admin.close();
  }
}

async function checkpoint(adminUrl: string): Promise<void> {
  const admin = createDatabase(adminUrl, { max: 1, applicationName: 'bench' });
  try {
    await admin.sql`checkpoint`;
  } finally {
    await admin.close();
  }
}
