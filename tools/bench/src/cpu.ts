import { readdirSync, readFileSync } from 'node:fs';
import type { Sql } from '@atelier/platform';
import type { Platform } from '@atelier/tool-dev';

/** Cumulative CPU time (user + system, ms) of each part of the system under test. */
export type CpuTimes = Record<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

export interface CpuSample {
  groups: CpuTimes;
  /** Postgres backend pid -> its CPU ms. */
  backends: Map<number, number>;
  /** Busy CPU ms of the whole machine, all cores (from /proc/stat). */
  machineBusy: number;
}

/** Busy time of the whole machine: everything but idle and iowait, summed over cores. */
function machineBusyMs(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * TICK_MS;
  } catch {
    return 0;
  }
}

/** utime + stime of a process, ms; 0 once it is gone. */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** A process and its descendants (a service runs as tsx's launcher with the real node below it). */
function treeCpuMs(pid: number): number {
  let total = processCpuMs(pid);
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    for (const child of children ? children.split(' ') : []) total += treeCpuMs(Number(child));
  } catch {
    // not Linux, or the process is gone
  }
  return total;
}

function pidsNamed(comm: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((d) => {
        try {
          return readFileSync(`/proc/${d}/comm`, 'utf8').trim() === comm;
        } catch {
          return false;
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Samples CPU time per service, per Postgres backend of the bench database, of the broker and of
 * the bench itself (the load generator). Linux only; elsewhere everything reads 0. Postgres is
 * counted per backend pid, so a delta covers the backends alive at both samples (the pools keep
 * theirs). The broker is shared with anything else on the machine.
 */
export class CpuSampler {
  private readonly brokerPids = pidsNamed('beam.smp');
  constructor(
    private readonly platform: Platform,
    private readonly sql: Sql,
    private readonly database: string,
    /** Processes beside the platform's, by group name (the Stripe emulator). */
    private readonly extra: Record<string, { process: { pid?: number | undefined } }> = {},
  ) {}

  async sample(): Promise<CpuSample> {
    const groups: CpuTimes = {};
    for (const [name, child] of Object.entries({ ...this.platform.services, ...this.extra })) groups[name] = child.process.pid ? treeCpuMs(child.process.pid) : 0;
    const rows = await this.sql<{ pid: number }[]>`select pid from pg_stat_activity where datname = ${this.database} and application_name <> 'bench'`;
    const backends = new Map(rows.map((r) => [r.pid, processCpuMs(r.pid)]));
    groups.rabbitmq = this.brokerPids.reduce((sum, pid) => sum + processCpuMs(pid), 0);
    const own = process.cpuUsage();
    groups.bench = (own.user + own.system) / 1000;
    return { groups, backends, machineBusy: machineBusyMs() };
  }
}

/**
 * CPU ms spent by each part between two samples; `other` is the rest of the machine's busy time
 * (Postgres' background workers, and whatever else runs there: a busy neighbour skews the numbers).
 */
export function cpuBetween(a: CpuSample, b: CpuSample): CpuTimes {
  const out: CpuTimes = {};
  for (const [name, ms] of Object.entries(b.groups)) out[name] = ms - (a.groups[name] ?? 0);
  let pg = 0;
  for (const [pid, ms] of b.backends) pg += ms - (a.backends.get(pid) ?? 0); // a backend that started in between counts whole
  out.postgres = pg;
  const ours = Object.values(out).reduce((sum, ms) => sum + ms, 0);
  out.other = Math.max(0, b.machineBusy - a.machineBusy - ours);
  return out;
}

export function addCpu(a: CpuTimes, b: CpuTimes): CpuTimes {
  const out: CpuTimes = { ...a };
  for (const [name, ms] of Object.entries(b)) out[name] = (out[name] ?? 0) + ms;
  return out;
}

export const scaleCpu = (t: CpuTimes, factor: number): CpuTimes => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, v * factor]));
