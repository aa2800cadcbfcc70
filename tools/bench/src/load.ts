import autocannon from 'autocannon';
import { addCpu, cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { summarize, type Summary } from './stats.js';

export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
}

export interface LoadResult extends Summary {
  /** Successful (2xx) responses per second over the measured time. */
  rps: number;
  /** Responses that were not 2xx, plus errors and timeouts: any of these makes the run unusable. */
  failures: number;
  statusCodes: Record<string, number>;
  /** CPU ms per successful request, by part of the system (when a sampler was given). */
  cpu: CpuTimes | null;
}

/** Closed-loop load: `connections` keep-alive connections, each sending its next request when the last one answers. */
function fire(target: LoadTarget, connections: number, durationS: number, latencies?: number[]): autocannon.Instance {
  const instance = autocannon({ url: target.url, headers: target.headers, connections, duration: durationS, timeout: 10 });
  if (latencies) {
    // autocannon's own histogram is in whole milliseconds, too coarse for a few-ms endpoint: keep the exact times.
    instance.on('response', (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
    });
  }
  return instance;
}

export async function warmUp(target: LoadTarget, connections: number, durationS: number): Promise<void> {
  if (durationS > 0) await fire(target, connections, durationS);
}

/** Accumulates measured slices of load on one target, so that two targets can be measured in alternation. */
export class LoadRecorder {
  private readonly latencies: number[] = [];
  private seconds = 0;
  private failures = 0;
  private readonly statusCodes: Record<string, number> = {};
  private cpu: CpuTimes | null = null;

  constructor(
    readonly target: LoadTarget,
    private readonly connections: number,
    private readonly sampler?: CpuSampler,
  ) {}

  async measure(durationS: number): Promise<void> {
    const before = await this.sampler?.sample();
    const result = await fire(this.target, this.connections, durationS, this.latencies);
    const after = await this.sampler?.sample();
    this.seconds += result.duration;
    this.failures += result.non2xx + result.errors + result.timeouts;
    for (const [code, s] of Object.entries(result.statusCodeStats)) this.statusCodes[code] = (this.statusCodes[code] ?? 0) + s.count;
    if (before && after) this.cpu = addCpu(this.cpu ?? {}, cpuBetween(before, after));
  }

  result(): LoadResult {
    return {
      ...summarize(this.latencies),
      rps: this.latencies.length / this.seconds,
      failures: this.failures,
      statusCodes: this.statusCodes,
      cpu: this.cpu && scaleCpu(this.cpu, 1 / this.latencies.length),
    };
  }
}
