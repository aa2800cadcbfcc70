import http from 'node:http';
import { cpuBetween, scaleCpu, type CpuSampler, type CpuTimes } from './cpu.js';
import { RssSampler, type RssResult } from './rss.js';

export interface ExportBenchOptions {
  gatewayUrl: string;
  apiToken: string;
  crmPid: number;
  expectedRows: number;
  timeoutMs: number;
  sampler?: CpuSampler;
}

export interface ExportBenchResult {
  rows: number;
  expectedRows: number;
  bytes: number;
  seconds: number;
  firstByteMs: number;
  rowsPerS: number;
  rss: RssResult;
  /** CPU ms per 1,000 rows. */
  cpu: CpuTimes | null;
}

/** Counts CSV records in a stream without keeping it: line feeds outside quoted fields (a doubled quote toggles twice). */
class RecordCounter {
  records = 0;
  private quoted = false;

  feed(chunk: Buffer) {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === 0x22) this.quoted = !this.quoted;
      else if (b === 0x0a && !this.quoted) this.records++;
    }
  }
}

/** GET /api/exports/clients.csv of the big agency through the gateway, counted as it arrives; RSS of crm-service sampled throughout. */
export async function runExportBench(o: ExportBenchOptions): Promise<ExportBenchResult> {
  const before = await o.sampler?.sample();
  const rss = new RssSampler(o.crmPid);
  let rssResult: RssResult | null = null;
  try {
    const started = performance.now();
    const got = await download(new URL('/api/exports/clients.csv', o.gatewayUrl), { authorization: `Bearer ${o.apiToken}` }, o.timeoutMs, started);
    const seconds = (performance.now() - started) / 1000;
    rssResult = rss.stop();
    const after = await o.sampler?.sample();
    const rows = got.records - 1; // the header
    return {
      rows,
      expectedRows: o.expectedRows,
      bytes: got.bytes,
      seconds,
      firstByteMs: got.firstByteMs,
      rowsPerS: rows / seconds,
      rss: rssResult,
      cpu: before && after ? scaleCpu(cpuBetween(before, after), 1000 / Math.max(rows, 1)) : null,
    };
  } finally {
    if (!rssResult) rss.stop();
  }
}

function download(url: URL, headers: Record<string, string>, timeoutMs: number, started: number): Promise<{ records: number; bytes: number; firstByteMs: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => reject(new Error(`export: expected 200, got ${res.statusCode} ${body.slice(0, 300)}`)));
        return;
      }
      const counter = new RecordCounter();
      let bytes = 0;
      let firstByteMs = Number.NaN;
      res.on('data', (chunk: Buffer) => {
        if (bytes === 0) firstByteMs = performance.now() - started;
        bytes += chunk.length;
        counter.feed(chunk);
      });
      res.on('end', () => (res.complete ? resolve({ records: counter.records, bytes, firstByteMs }) : reject(new Error('export: the response was cut short'))));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`export: no data for ${timeoutMs / 1000} s`)));
    req.on('error', reject);
  });
}
