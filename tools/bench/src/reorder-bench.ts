import http from 'node:http';
import { agentRequest } from './api.js';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { summarize, sleep, type Summary } from './stats.js';

export interface ReorderBenchOptions {
  gatewayUrl: string;
  apiToken: string;
  /** Tasks on the measured board, spread over the four columns. */
  tasks: number;
  /** Measured drags, one after another; as many again first, not counted. */
  reorders: number;
  warmup: number;
  sampler: CpuSampler;
}

export interface ReorderBenchResult {
  latency: Summary;
  tasks: number;
  /** Of the measured drags, how many moved a task to another column (the rest moved it within one). */
  acrossColumns: number;
  cpu: CpuTimes | null;
}

const STATUSES = ['todo', 'in_progress', 'blocked', 'done'] as const;
type Status = (typeof STATUSES)[number];
interface BoardTask {
  id: string;
  status: Status;
  sortOrder: number;
}

/** A small deterministic generator: every run drags the same tasks to the same places. */
function rng(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

/**
 * `POST /api/projects/:id/tasks/reorder` on one board of `tasks` tasks through the gateway: each
 * request is a drag as the board sends it (one task to a random place in a random column, the
 * column's whole new order), the next built from the board the previous one answered with.
 */
export async function runReorderBench(o: ReorderBenchOptions): Promise<ReorderBenchResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { authorization: `Bearer ${o.apiToken}` };
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await agentRequest(agent, new URL(path, o.gatewayUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), timeoutMs: 30_000 });
    return { status: res.status, body: res.body ? (JSON.parse(res.body) as Record<string, unknown>) : {} };
  };
  try {
    const client = await call('POST', '/api/clients', { name: 'Bench Board Client' });
    if (client.status !== 201) throw new Error(`reorder: creating the client answered ${client.status}`);
    // The client reaches projects' replica by event.
    let projectId: string | null = null;
    for (const deadline = Date.now() + 30_000; !projectId && Date.now() < deadline; ) {
      const res = await call('POST', '/api/projects', { clientId: client.body.id, name: 'Bench Board' });
      if (res.status === 201) projectId = res.body.id as string;
      else await sleep(50);
    }
    if (!projectId) throw new Error('reorder: projects never heard of the client');
    for (let i = 0; i < o.tasks; i++) {
      const res = await call('POST', `/api/projects/${projectId}/tasks`, { title: `Task ${i + 1}`, status: STATUSES[i % STATUSES.length] });
      if (res.status !== 201) throw new Error(`reorder: creating task ${i + 1} answered ${res.status}`);
    }
    const listed = await call('GET', `/api/projects/${projectId}/tasks?limit=200`);
    let board = listed.body.data as BoardTask[];
    if (board.length !== Math.min(o.tasks, 200)) throw new Error(`reorder: the board has ${board.length} tasks`);

    const next = rng(2026);
    const drag = () => {
      const task = board[Math.floor(next() * board.length)]!;
      const status = STATUSES[Math.floor(next() * STATUSES.length)]!;
      const column = board.filter((t) => t.status === status && t.id !== task.id).sort((a, b) => a.sortOrder - b.sortOrder).map((t) => t.id);
      column.splice(Math.floor(next() * (column.length + 1)), 0, task.id);
      return { body: { status, taskIds: column }, across: task.status !== status };
    };
    const ms: number[] = [];
    let across = 0;
    let before = null;
    for (let i = 0; i < o.warmup + o.reorders; i++) {
      if (i === o.warmup) before = await o.sampler.sample();
      const d = drag();
      const started = performance.now();
      const res = await call('POST', `/api/projects/${projectId}/tasks/reorder`, d.body);
      const elapsed = performance.now() - started;
      if (res.status !== 200) throw new Error(`reorder: answered ${res.status} ${JSON.stringify(res.body)}`);
      board = res.body.data as BoardTask[];
      if (board.length !== o.tasks) throw new Error(`reorder: the board came back with ${board.length} tasks`);
      if (i >= o.warmup) {
        ms.push(elapsed);
        if (d.across) across++;
      }
    }
    const after = await o.sampler.sample();
    return { latency: summarize(ms), tasks: o.tasks, acrossColumns: across, cpu: before ? scaleCpu(cpuBetween(before, after), 1 / ms.length) : null };
  } finally {
    agent.destroy();
  }
}
