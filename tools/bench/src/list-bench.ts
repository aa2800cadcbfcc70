import { INTERNAL_TOKEN_HEADER, signInternalToken } from '@atelier/platform';
import { getJson } from './api.js';
import type { CpuSampler } from './cpu.js';
import { LoadRecorder, warmUp, type LoadResult } from './load.js';

export interface ListBenchOptions {
  gatewayUrl: string;
  crmUrl: string;
  apiToken: string;
  internalSecret: string;
  principal: { userId: string; agencyId: string };
  expectedTotal: number;
  connections: number;
  durationS: number;
  warmupS: number;
  /** The measured time is split into this many slices per target, alternating gateway and direct, so drifting background load hits both alike. */
  rounds: number;
  sampler?: CpuSampler;
}

export interface ListBenchResult {
  gateway: LoadResult;
  direct: LoadResult;
  /** gateway p50 / direct p50 */
  ratio: number;
}

const PATH = '/api/clients?limit=50';

/** `GET /api/clients?limit=50` of the big agency, through the gateway and straight at crm-service, under the same load, in alternating slices. */
export async function runListBench(o: ListBenchOptions): Promise<ListBenchResult> {
  const viaGateway = { url: `${o.gatewayUrl}${PATH}`, headers: { authorization: `Bearer ${o.apiToken}` } };
  // Valid for the whole run: the direct run must not start failing halfway through.
  const internalToken = signInternalToken(o.internalSecret, { ...o.principal, role: 'owner', aud: 'crm' }, 3600);
  const direct = { url: `${o.crmUrl}${PATH}`, headers: { [INTERNAL_TOKEN_HEADER]: internalToken } };

  for (const [name, target] of Object.entries({ gateway: viaGateway, direct })) {
    const page = await getJson<{ data: unknown[]; total: number }>(target.url, target.headers);
    if (page.data.length !== 50 || page.total !== o.expectedTotal) {
      throw new Error(`${name}: expected 50 of ${o.expectedTotal} clients, got ${page.data.length} of ${page.total}`);
    }
  }

  await warmUp(viaGateway, o.connections, o.warmupS);
  await warmUp(direct, o.connections, o.warmupS);
  const recorders = [new LoadRecorder(viaGateway, o.connections, o.sampler), new LoadRecorder(direct, o.connections, o.sampler)] as const;
  for (let round = 0; round < o.rounds; round++) {
    for (const recorder of recorders) await recorder.measure(o.durationS / o.rounds);
  }
  const [gateway, directResult] = recorders.map((r) => r.result()) as [LoadResult, LoadResult];
  for (const [name, r] of Object.entries({ gateway, direct: directResult })) {
    if (r.failures > 0) throw new Error(`${name} run had ${r.failures} failed requests: ${JSON.stringify(r.statusCodes)}`);
  }
  return { gateway, direct: directResult, ratio: gateway.p50 / directResult.p50 };
}
