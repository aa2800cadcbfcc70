import { randomBytes } from 'node:crypto';
import { summarize, type Summary } from './stats.js';

export interface LoginBenchOptions {
  gatewayUrl: string;
  /** Sequential sign-ins with the right password (each verifies an argon2id hash). */
  logins: number;
  /** Wrong passwords sent at once for one account. */
  parallelGuesses: number;
  /** The gateway's LOGIN_MAX_FAILURES: at most this many guesses may be answered. */
  limit: number;
}

export interface LoginBenchResult {
  latency: Summary;
  guesses: number;
  answered: number;
  throttled: number;
  limit: number;
}

const post = (gatewayUrl: string, path: string, body: unknown) =>
  fetch(`${gatewayUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: gatewayUrl }, body: JSON.stringify(body) });

async function account(gatewayUrl: string) {
  const email = `login-${randomBytes(4).toString('hex')}@bench.example`;
  const password = `bench-${randomBytes(12).toString('hex')}`;
  const res = await post(gatewayUrl, '/api/auth/signup', { agencyName: 'Bench Login Agency', name: 'Bench Login', email, password });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  return { email, password };
}

/** Login latency (argon2id verify plus a session), and how many of N parallel wrong guesses get an answer before 429. */
export async function runLoginBench(o: LoginBenchOptions): Promise<LoginBenchResult> {
  const user = await account(o.gatewayUrl);
  const ms: number[] = [];
  for (let i = 0; i < o.logins; i++) {
    const started = performance.now();
    const res = await post(o.gatewayUrl, '/api/auth/login', user);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`login: ${res.status}`);
    ms.push(performance.now() - started);
  }
  const target = await account(o.gatewayUrl);
  const statuses = await Promise.all(
    Array.from({ length: o.parallelGuesses }, async (_, i) => {
      const res = await post(o.gatewayUrl, '/api/auth/login', { email: target.email, password: `wrong-guess-${i}` });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  return {
    latency: summarize(ms),
    guesses: o.parallelGuesses,
    answered: statuses.filter((s) => s === 401).length,
    throttled: statuses.filter((s) => s === 429).length,
    limit: o.limit,
  };
}
