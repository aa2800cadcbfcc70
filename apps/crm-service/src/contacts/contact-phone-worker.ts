import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { phoneKey, type PhoneCache } from './contact-phone.js';

/**
 * The worker's code: `toE164` of contact-phone.ts, line for line, over the same package (its
 * CommonJS build, so the worker needs no TypeScript loader under tsx or vitest alike).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { isSupportedCountry, parsePhoneNumberFromString } = require(workerData.library);
const toE164 = (phone, country) => {
  if (!phone) return null;
  const region = country && isSupportedCountry(country) ? country : undefined;
  const parsed = parsePhoneNumberFromString(phone, region);
  return parsed && parsed.isPossible() ? parsed.number : null;
};
parentPort.on('message', ({ id, items }) => {
  parentPort.postMessage({ id, results: items.map(([phone, country]) => toE164(phone, country)) });
});
`;

type Pending = { resolve: (results: (string | null)[]) => void; reject: (err: Error) => void };

/**
 * Parses phone numbers on a thread of its own, for a CSV import: the job hands it the next batch's
 * numbers while the current batch is in the database, so the dearest step of a row runs beside the
 * job instead of inside its transaction. Results go into the job's `PhoneCache`, which the batch
 * reads as it would compute them: a number the worker has not done (or got wrong for want of the
 * client's country) is parsed there as before.
 */
export class PhoneWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private next = 0;
  private broken: Error | null = null;

  constructor() {
    const library = createRequire(import.meta.url).resolve('libphonenumber-js');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { library } });
    this.worker.unref();
    this.worker.on('message', ({ id, results }: { id: number; results: (string | null)[] }) => {
      this.pending.get(id)?.resolve(results);
      this.pending.delete(id);
    });
    const fail = (err: Error) => {
      this.broken = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`phone worker exited with ${code}`)));
  }

  /**
   * Parses the numbers the cache does not hold yet and puts them in; never rejects (a worker that
   * failed leaves the numbers to the batch).
   */
  async fill(cache: PhoneCache, items: { phone: string; country: string | null }[]): Promise<void> {
    const todo = new Map<string, [string, string | null]>();
    for (const { phone, country } of items) if (phone && !cache.has(phone, country)) todo.set(phoneKey(phone, country), [phone, country]);
    if (todo.size === 0 || this.broken) return;
    const list = [...todo.values()];
    const id = this.next++;
    try {
      const results = await new Promise<(string | null)[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.worker.postMessage({ id, items: list });
      });
      list.forEach(([phone, country], i) => cache.put(phone, country, results[i] ?? null));
    } catch {
      // Left to the batch, which parses what the cache lacks.
    }
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
