import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { RssSampler, type RssResult } from './rss.js';
import { summarize } from './stats.js';

export interface AttachmentBenchOptions {
  gatewayUrl: string;
  apiToken: string;
  crmPid: number;
  /** Size of each file, bytes. */
  bytes: number;
  rounds: number;
  timeoutMs: number;
}

export interface TransferResult {
  /** Median over the rounds, MB/s (1 MB = 2^20 bytes). */
  mbPerS: number;
  all: number[];
  /** crm-service's RSS over the transfers. */
  rss: RssResult;
}

export interface AttachmentBenchResult {
  bytes: number;
  rounds: number;
  upload: TransferResult;
  download: TransferResult;
}

const MB = 1024 * 1024;

/** POSTs a generated file of `bytes` as multipart, streamed (the bench never holds it either); returns the attachment and its SHA-256. */
function upload(url: URL, token: string, bytes: number, timeoutMs: number): Promise<{ id: string; sha256: string }> {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="bench.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const piece = randomBytes(256 * 1024);
  const hash = createHash('sha256');
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(head.length + bytes + tail.length) },
      timeout: timeoutMs,
    });
    req.on('timeout', () => req.destroy(new Error('attachments: upload timed out')));
    req.on('error', reject);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 201) return reject(new Error(`attachments: upload answered ${res.statusCode} ${body.slice(0, 300)}`));
        const created = JSON.parse(body) as { id: string; sha256: string };
        if (created.sha256 !== hash.digest('hex')) return reject(new Error('attachments: the stored SHA-256 is not the uploaded one'));
        resolve(created);
      });
    });
    let sent = 0;
    let n = 0;
    const pump = () => {
      while (sent < bytes) {
        const p = Buffer.from(piece.subarray(0, Math.min(piece.length, bytes - sent)));
        p.writeUInt32BE(n++ >>> 0, 0);
        hash.update(p);
        sent += p.length;
        if (!req.write(p)) return void req.once('drain', pump);
      }
      req.end(tail);
    };
    req.write(head);
    pump();
  });
}

/** GETs the content and checks its length and digest as it streams by. */
function download(url: URL, token: string, expected: { bytes: number; sha256: string }, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`attachments: download answered ${res.statusCode}`));
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        hash.update(c);
      });
      res.on('end', () => (size === expected.bytes && hash.digest('hex') === expected.sha256 ? resolve() : reject(new Error(`attachments: downloaded ${size} bytes that differ from the upload`))));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('attachments: download timed out')));
    req.on('error', reject);
  });
}

/**
 * Upload and download throughput of one large attachment through the gateway (multipart in,
 * `Content-Disposition: attachment` out), on the configured blob store, with crm-service's RSS
 * sampled throughout: streaming keeps it flat whatever the file's size.
 */
export async function runAttachmentBench(o: AttachmentBenchOptions): Promise<AttachmentBenchResult> {
  const created = await fetch(new URL('/api/clients', o.gatewayUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${o.apiToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench Attachments Ltd' }),
  });
  if (created.status !== 201) throw new Error(`attachments: creating the client answered ${created.status}`);
  const clientId = ((await created.json()) as { id: string }).id;
  const uploads: number[] = [];
  const downloads: number[] = [];
  const files: { id: string; sha256: string }[] = [];

  const up = new RssSampler(o.crmPid, 50);
  for (let i = 0; i < o.rounds; i++) {
    const started = performance.now();
    files.push(await upload(new URL(`/api/clients/${clientId}/attachments`, o.gatewayUrl), o.apiToken, o.bytes, o.timeoutMs));
    uploads.push(o.bytes / MB / ((performance.now() - started) / 1000));
  }
  const upRss = up.stop();
  const down = new RssSampler(o.crmPid, 50);
  for (const file of files) {
    const started = performance.now();
    await download(new URL(`/api/attachments/${file.id}/content`, o.gatewayUrl), o.apiToken, { bytes: o.bytes, sha256: file.sha256 }, o.timeoutMs);
    downloads.push(o.bytes / MB / ((performance.now() - started) / 1000));
  }
  const downRss = down.stop();
  for (const file of files) await fetch(new URL(`/api/attachments/${file.id}`, o.gatewayUrl), { method: 'DELETE', headers: { authorization: `Bearer ${o.apiToken}` } });
  return {
    bytes: o.bytes,
    rounds: o.rounds,
    upload: { mbPerS: summarize(uploads).p50, all: uploads, rss: upRss },
    download: { mbPerS: summarize(downloads).p50, all: downloads, rss: downRss },
  };
}
