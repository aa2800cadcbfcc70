import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, waitFor, type TcpProxy } from '../src/testing/index.js';

/** An echo server standing in for the proxied dependency. */
let echo: net.Server;
let echoPort: number;
const echoSockets = new Set<net.Socket>();

beforeAll(async () => {
  echo = net.createServer((s) => {
    echoSockets.add(s);
    s.on('close', () => echoSockets.delete(s));
    s.on('error', () => {});
    s.pipe(s);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(async () => {
  for (const s of echoSockets) s.destroy();
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

function roundTrip(s: net.Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = '';
    const onData = (chunk: Buffer) => {
      got += chunk.toString('utf8');
      if (got.length >= text.length) {
        s.off('data', onData);
        resolve(got);
      }
    };
    s.on('data', onData);
    s.once('error', reject);
    s.write(text);
  });
}

describe('startTcpProxy', () => {
  let proxy: TcpProxy;
  afterAll(async () => {
    await proxy?.close();
  });

  it('forwards, cuts (refusing new and killing open connections) and restores on the same port', async () => {
    proxy = await startTcpProxy({ host: '127.0.0.1', port: echoPort });
    const port = proxy.port;
    expect(port).toBeGreaterThan(0);
    expect(proxy.urlThrough('amqp://guest:guest@example.test:5672/vhost')).toBe(`amqp://guest:guest@127.0.0.1:${port}/vhost`);

    const a = await connect(port);
    expect(await roundTrip(a, 'hello')).toBe('hello');
    await waitFor(() => proxy.connections === 1);

    const aClosed = new Promise<void>((resolve) => a.once('close', () => resolve()));
    a.on('error', () => {});
    await proxy.cut();
    expect(proxy.listening).toBe(false);
    expect(proxy.connections).toBe(0);
    await aClosed; // the open connection was destroyed
    await expect(connect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    // The upstream side is gone too: the echo server sees no connection left.
    await waitFor(() => echoSockets.size === 0);

    await proxy.restore();
    expect(proxy.port).toBe(port);
    const b = await connect(port);
    expect(await roundTrip(b, 'again')).toBe('again');
    b.destroy();
    await waitFor(() => proxy.connections === 0);
  });
});
