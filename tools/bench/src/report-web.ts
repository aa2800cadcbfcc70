// Table rows and JSON of the web scenario: LCP per page, RTT and cache state; JavaScript per route.
import { TARGETS } from './config.js';
import { round } from './stats.js';
import type { Row } from './table.js';
import type { WebBenchResult } from './web-bench.js';

const kb = (bytes: number) => bytes / 1024;

export function webRows(r: WebBenchResult): Row[] {
  const lcp: Row[] = r.lcp.map((f) => ({
    scenario: `web ${f.page}`,
    metric: `LCP ${f.cache} at ${f.rttMs} ms RTT`,
    value: f.lcpMs,
    unit: 'ms',
    digits: 0,
    // The target is set for the slow network; at 0 ms the figure shows what is left (CPU, rendering).
    ...(f.rttMs >= TARGETS.webRttMs ? { target: { op: '<=' as const, limit: TARGETS.webLcpMs } } : {}),
    detail: `median of ${f.runs.length}: ${f.runs.map((v) => v.toFixed(0)).join(', ')}${f.cache === 'cold' ? `; ${f.requests} requests` : ''}; LCP element ${f.element || '?'}`,
  }));
  const routes: Row[] = r.routes.map((w) => ({
    scenario: `web ${w.page}`,
    metric: 'first-load JS (compressed)',
    value: kb(w.jsBytes),
    unit: 'KB',
    digits: 1,
    target: { op: '<=', limit: TARGETS.webFirstLoadJsKb },
    detail: `${w.jsFiles} file(s); HTML ${kb(w.htmlBytes).toFixed(1)} KB ${w.htmlEncoding}; API JSON ${r.apiEncoding}`,
  }));
  return [...lcp, ...routes];
}

export const webJson = (r: WebBenchResult) => ({
  lcp: r.lcp.map((f) => ({ page: f.page, rttMs: f.rttMs, cache: f.cache, ms: round(f.lcpMs, 0), runs: f.runs.map((v) => round(v, 0)), requests: f.requests, element: f.element })),
  routes: r.routes.map((w) => ({ page: w.page, jsKb: round(kb(w.jsBytes), 1), jsFiles: w.jsFiles, htmlKb: round(kb(w.htmlBytes), 1), htmlEncoding: w.htmlEncoding })),
  apiEncoding: r.apiEncoding,
  targets: { lcpMs: TARGETS.webLcpMs, atRttMs: TARGETS.webRttMs, firstLoadJsKb: TARGETS.webFirstLoadJsKb },
});
