// `npm run bench`: the performance scenarios on a throwaway platform; prints one table and a JSON line.
import os from 'node:os';
import { createDatabase } from '@atelier/platform';
import { loadBenchConfig, BENCH_INTERNAL_SECRET } from './config.js';
import { createApiToken, signUpOwner, type Owner } from './api.js';
import { CpuSampler, cpuBetween } from './cpu.js';
import { log, startEnvironment, type BenchEnvironment } from './environment.js';
import { runEventLatencyBench } from './event-latency-bench.js';
import { runExportBench } from './export-bench.js';
import { runImportBench } from './import-bench.js';
import { runListBench } from './list-bench.js';
import { buildRows, machineLine, type Host, type Results } from './report.js';
import { runSearchBench } from './search-bench.js';
import { seedAgency, seedClients } from './seed.js';
import { sleep } from './stats.js';
import { renderTable } from './table.js';

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
  // The seed wrote ~1 GB of WAL: checkpoint now rather than in the middle of a measurement.
  await checkpoint(config.DATABASE_ADMIN_URL);

  const sampler = new CpuSampler(env.platform, env.owner.sql, env.database);
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
  };

  const rows = buildRows(host, results);
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
  log(`CSV import: ${config.BENCH_IMPORT_ROWS} contacts over ${config.BENCH_IMPORT_CLIENTS} existing clients, beside a raw COPY of the same rows`);
  return runImportBench({
    gatewayUrl: env.gatewayUrl,
    apiToken,
    agencyId: owner.agencyId,
    sql: env.owner.sql,
    crmPid,
    rows: config.BENCH_IMPORT_ROWS,
    clients: config.BENCH_IMPORT_CLIENTS,
    timeoutMs: 300_000,
    sampler,
  });
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

async function checkpoint(adminUrl: string): Promise<void> {
  const admin = createDatabase(adminUrl, { max: 1, applicationName: 'bench' });
  try {
    await admin.sql`checkpoint`;
  } finally {
    await admin.close();
  }
}
