import http from 'node:http';
import type { Sql } from '@atelier/platform';
import { agentRequest, getJson } from './api.js';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { sleep, summarize, type Summary } from './stats.js';

export type TermKind = 'prefix' | 'middle' | 'email' | 'none';

export interface SearchTerm {
  kind: TermKind;
  q: string;
  /** Clients of the agency it matches (the list's total). */
  matches: number;
}

export interface SearchBenchOptions {
  gatewayUrl: string;
  apiToken: string;
  agencyId: string;
  /** Owner connection: picks real names and emails of the agency to search for. */
  sql: Sql;
  /** Clients of the agency (for the report). */
  agencyClients: number;
  /** Measured requests per endpoint and measurement. */
  requests: number;
  /** Requests per second of the paced measurement (the one the target applies to). */
  ratePerS: number;
  /** Connections of the saturation measurement. */
  connections: number;
  sampler?: CpuSampler;
}

export interface Measurement extends Summary {
  rps: number;
  /** p99 per kind of term. */
  byKind: Record<TermKind, Summary>;
  /** CPU ms per request. */
  cpu: CpuTimes | null;
}

export interface EndpointResult {
  /** Requests leaving at a steady rate, below what the machine can serve: the latency a user sees. */
  paced: Measurement;
  /** Every connection sends its next request as soon as the last answers: throughput, and the latency of a full queue. */
  saturated: Measurement;
}

export interface SearchBenchResult {
  agencyClients: number;
  ratePerS: number;
  connections: number;
  terms: SearchTerm[];
  search: EndpointResult;
  list: EndpointResult;
}

/**
 * Terms as people type them, taken from real rows of the agency: name prefixes (short and broad,
 * longer and narrow), fragments from the middle of a name, pieces of an email, and misses.
 */
async function pickTerms(sql: Sql, agencyId: string): Promise<Omit<SearchTerm, 'matches'>[]> {
  const rows = await sql<{ name: string; email: string | null }[]>`
    select name, email from crm.clients
    where agency_id = ${agencyId} and deleted_at is null and email is not null
    order by random() limit 4`;
  const [a, b, c, d] = rows;
  if (!a || !b || !c || !d) throw new Error('search: the agency has too few clients');
  const firstWord = (name: string) => name.split(' ')[0] ?? name;
  const number = (name: string) => /\d{4,}/.exec(name)?.[0] ?? name.slice(2, 7);
  const local = (email: string) => email.slice(0, email.indexOf('@'));
  const domain = (email: string) => email.slice(email.indexOf('@') + 1);
  return [
    { kind: 'prefix', q: a.name.slice(0, 3) },
    { kind: 'prefix', q: b.name.slice(0, 5) },
    { kind: 'prefix', q: c.name.slice(0, Math.max(6, c.name.search(/\d/) + 3)) },
    { kind: 'middle', q: firstWord(d.name).slice(1, 5) },
    { kind: 'middle', q: number(a.name).slice(1) },
    { kind: 'middle', q: `nt ${number(b.name).slice(0, 3)}` },
    { kind: 'email', q: `${local(c.email!).slice(-5)}@cl` },
    { kind: 'email', q: domain(d.email!).slice(0, 11) },
    { kind: 'email', q: a.email! },
    { kind: 'none', q: 'zqxwv' },
    { kind: 'none', q: 'Nonexistent Holdings' },
  ];
}

/** GET /api/search?q= and GET /api/clients?search=&limit=50 through the gateway, a mix of terms: paced at a steady rate, then saturated. */
export async function runSearchBench(o: SearchBenchOptions): Promise<SearchBenchResult> {
  const auth = { authorization: `Bearer ${o.apiToken}` };
  const picked = await pickTerms(o.sql, o.agencyId);
  const terms: SearchTerm[] = [];
  for (const t of picked) {
    const page = await getJson<{ data: unknown[]; total: number }>(`${o.gatewayUrl}${listPath(t.q)}`, auth);
    const found = await getJson<{ clients: unknown[] }>(`${o.gatewayUrl}${searchPath(t.q)}`, auth);
    if ((page.total === 0) !== (t.kind === 'none') || (found.clients.length === 0) !== (t.kind === 'none')) {
      throw new Error(`search: "${t.q}" (${t.kind}) found ${page.total} clients in the list and ${found.clients.length} in search`);
    }
    terms.push({ ...t, matches: page.total });
  }
  // Paced requests may overlap when one is slow: more sockets than the saturation measurement uses.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(o.connections, 32) });
  try {
    const measure = async (send: (queue: SearchTerm[]) => Promise<Timed[]>): Promise<Measurement> => {
      const before = await o.sampler?.sample();
      const started = performance.now();
      const timed = await send(mix(terms, o.requests));
      const seconds = (performance.now() - started) / 1000;
      const after = await o.sampler?.sample();
      const kinds: TermKind[] = ['prefix', 'middle', 'email', 'none'];
      return {
        ...summarize(timed.map((t) => t.ms)),
        rps: timed.length / seconds,
        byKind: Object.fromEntries(kinds.map((k) => [k, summarize(timed.filter((t) => t.term.kind === k).map((t) => t.ms))])) as Record<TermKind, Summary>,
        cpu: before && after ? scaleCpu(cpuBetween(before, after), 1 / timed.length) : null,
      };
    };
    const run = async (path: (q: string) => string): Promise<EndpointResult> => {
      const send = (queue: SearchTerm[], how: 'paced' | 'saturated') =>
        how === 'paced' ? pacedLoop(o.gatewayUrl, agent, auth, queue, path, o.ratePerS) : closedLoop(o.gatewayUrl, agent, auth, queue, path, o.connections);
      // Warm-up: every term twice (plans, pools, caches), not counted.
      await send(mix(terms, terms.length * 2), 'saturated');
      const paced = await measure((queue) => send(queue, 'paced'));
      const saturated = await measure((queue) => send(queue, 'saturated'));
      return { paced, saturated };
    };
    const search = await run(searchPath);
    const list = await run(listPath);
    return { agencyClients: o.agencyClients, ratePerS: o.ratePerS, connections: o.connections, terms, search, list };
  } finally {
    agent.destroy();
  }
}

const searchPath = (q: string) => `/api/search?q=${encodeURIComponent(q)}`;
const listPath = (q: string) => `/api/clients?search=${encodeURIComponent(q)}&limit=50`;

/** `count` requests cycling through the terms, in a shuffled (but repeatable) order. */
function mix(terms: SearchTerm[], count: number): SearchTerm[] {
  const out = Array.from({ length: count }, (_, i) => terms[i % terms.length]!);
  let seed = 42;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

interface Timed {
  term: SearchTerm;
  ms: number;
}

/** One GET, timed from `from` (by default when it leaves); anything but a 200 fails the bench. */
async function timedGet(base: string, agent: http.Agent, headers: Record<string, string>, term: SearchTerm, path: (q: string) => string, from = performance.now()): Promise<Timed> {
  const res = await agentRequest(agent, new URL(path(term.q), base), { headers, timeoutMs: 10_000 });
  if (res.status !== 200) throw new Error(`search: GET ${path(term.q)} answered ${res.status} ${res.body.slice(0, 200)}`);
  return { term, ms: performance.now() - from };
}

/** Each connection sends its next request when the last one has answered. */
async function closedLoop(base: string, agent: http.Agent, headers: Record<string, string>, queue: SearchTerm[], path: (q: string) => string, connections: number) {
  const timed: Timed[] = [];
  let next = 0;
  const worker = async () => {
    while (next < queue.length) timed.push(await timedGet(base, agent, headers, queue[next++]!, path));
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return timed;
}

/**
 * Open loop: request i is due at t0 + i / rate whether or not the earlier ones have answered, and
 * its latency counts from when it was due, so a stall shows in every request it delays.
 */
async function pacedLoop(base: string, agent: http.Agent, headers: Record<string, string>, queue: SearchTerm[], path: (q: string) => string, ratePerS: number) {
  const pending: Promise<Timed>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < queue.length; i++) {
    const due = t0 + (i * 1000) / ratePerS;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    pending.push(timedGet(base, agent, headers, queue[i]!, path, due));
  }
  return Promise.all(pending);
}
