import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressResponses } from '../src/web/compression.js';

// A real server on port 0 with the gateway's compression in front of responses of each kind.
const big = 'Atelier '.repeat(1000);
let server: http.Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.use(compressResponses());
  app.get('/json', (_req, res) => res.json({ text: big }));
  app.get('/html', (_req, res) => res.type('text/html').send(`<p>${big}</p>`));
  app.get('/problem', (_req, res) => res.status(400).type('application/problem+json').send(JSON.stringify({ detail: big })));
  app.get('/events', (_req, res) => res.type('text/event-stream').send(`data: ${big}\n\n`));
  app.get('/pdf', (_req, res) => res.type('application/pdf').send(Buffer.from(big)));
  app.get('/small', (_req, res) => res.json({ ok: true }));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The raw answer (no decoding by the client), as a browser sending `accept` would get it. */
const get = (path: string, accept: string) =>
  new Promise<{ encoding: string; body: Buffer }>((resolve, reject) => {
    http
      .get(`${base}${path}`, { headers: { 'accept-encoding': accept } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ encoding: String(res.headers['content-encoding'] ?? 'identity'), body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });

describe('gateway compression', () => {
  it('compresses HTML, JSON and problem documents with brotli or gzip, as the browser prefers', async () => {
    const br = await get('/json', 'gzip, deflate, br');
    expect(br.encoding).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual({ text: big });
    expect(br.body.length).toBeLessThan(big.length / 10);
    const gz = await get('/html', 'gzip');
    expect(gz.encoding).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(`<p>${big}</p>`);
    expect((await get('/problem', 'br')).encoding).toBe('br');
  });

  it('leaves event streams, PDFs, tiny answers and clients that ask for nothing alone', async () => {
    expect((await get('/events', 'br, gzip')).encoding).toBe('identity');
    const pdf = await get('/pdf', 'br, gzip');
    expect(pdf.encoding).toBe('identity');
    expect(pdf.body.toString()).toBe(big);
    expect((await get('/small', 'br')).encoding).toBe('identity');
    expect((await get('/json', 'identity')).encoding).toBe('identity');
  });
});
