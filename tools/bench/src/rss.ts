import { readFileSync } from 'node:fs';

/** VmRSS of a process in MB; 0 once it is gone (or off Linux). */
function rssMb(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  try {
    const list = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return list ? list.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

/**
 * RSS of a service: the processes at the bottom of its tree. A service runs as tsx's launcher with
 * the real node process below it; the launcher's own ~40 MB never changes and is left out.
 */
export function serviceRssMb(rootPid: number): number {
  const leaves: number[] = [];
  const walk = (pid: number) => {
    const children = childrenOf(pid);
    if (children.length === 0) leaves.push(pid);
    for (const child of children) walk(child);
  };
  walk(rootPid);
  return leaves.reduce((sum, pid) => sum + rssMb(pid), 0);
}

export interface RssResult {
  /** Highest RSS seen, MB. */
  peakMb: number;
  /** When sampling started, MB. */
  startMb: number;
  samples: number;
}

/** Samples a service's RSS every `intervalMs` (synchronous /proc reads: cheap, and they run between the bench's I/O callbacks). */
export class RssSampler {
  private peak = 0;
  private readonly start: number;
  private count = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 100,
  ) {
    this.start = this.take();
    this.timer = setInterval(() => this.take(), intervalMs);
  }

  private take(): number {
    const mb = serviceRssMb(this.pid);
    this.count++;
    this.peak = Math.max(this.peak, mb);
    return mb;
  }

  stop(): RssResult {
    clearInterval(this.timer);
    this.take();
    return { peakMb: this.peak, startMb: this.start, samples: this.count };
  }
}
