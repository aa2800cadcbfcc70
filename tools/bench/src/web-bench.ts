import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '@atelier/tool-e2e/browser';
import { log } from './environment.js';
import { percentile } from './stats.js';

export interface WebPage {
  /** What the table calls it: `/clients`, `/clients/:id`. */
  label: string;
  path: string;
}

export interface WebBenchOptions {
  gatewayUrl: string;
  /** `name=value` of a signed-in session cookie. */
  cookie: string;
  /** Pages whose largest contentful paint is measured. */
  pages: WebPage[];
  /** Pages whose first-load JavaScript is weighed (the measured ones and the other screens). */
  routes: WebPage[];
  /** Simulated round-trip times, ms. */
  rtts: number[];
  /** Loads per page, RTT and cache state; the median is reported. */
  runs: number;
}

export interface LcpFigure {
  page: string;
  rttMs: number;
  cache: 'cold' | 'warm';
  /** Median LCP of the runs, ms. */
  lcpMs: number;
  /** Requests the cold load made before the page settled (round trips are what a high RTT multiplies). */
  requests: number;
  runs: number[];
  /** The LCP element of the last run. */
  element: string;
}

export interface RouteWeight {
  page: string;
  /** JavaScript bytes on the wire (compressed, with headers) of a cold load. */
  jsBytes: number;
  jsFiles: number;
  /** The shell's transfer size and encoding: compression is on when this is br or gzip. */
  htmlBytes: number;
  htmlEncoding: string;
}

export interface WebBenchResult {
  lcp: LcpFigure[];
  routes: RouteWeight[];
  /** Content-Encoding of an API JSON answer to a browser (the first screen's data). */
  apiEncoding: string;
}

interface Transfer {
  url: string;
  type: string;
  bytes: number;
  encoding: string;
}

/** Every response of a load, with its encoded (on-the-wire) size, from the DevTools protocol. */
async function recordTransfers(cdp: CDPSession): Promise<() => Transfer[]> {
  const byId = new Map<string, Transfer>();
  const done: Transfer[] = [];
  cdp.on('Network.responseReceived', (e) => {
    const headers = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    byId.set(e.requestId, { url: e.response.url, type: e.type, bytes: 0, encoding: headers['content-encoding'] ?? 'identity' });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const t = byId.get(e.requestId);
    if (t) done.push({ ...t, bytes: e.encodedDataLength });
  });
  await cdp.send('Network.enable');
  return () => [...done];
}

async function newContext(browser: Browser, options: WebBenchOptions): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const [name = '', value = ''] = options.cookie.split(/=(.*)/s);
  await context.addCookies([{ name, value, url: options.gatewayUrl }]);
  // Every LCP candidate, read after the page settles; the last one is the page's LCP.
  // (Source text: it runs in the page, and this program is not compiled against the DOM.)
  await context.addInitScript({
    content: `window.__lcp = []; window.__lcpElement = ''; new PerformanceObserver((list) => { for (const e of list.getEntries()) { window.__lcp.push(e.startTime); const el = e.element; window.__lcpElement = el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(' ')[0] : '') : ''; } }).observe({ type: 'largest-contentful-paint', buffered: true });`,
  });
  return context;
}

async function emulateRtt(page: Page, rttMs: number): Promise<CDPSession> {
  page.on('pageerror', (err) => log(`web: error in ${page.url()}: ${err.message}`));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: rttMs, downloadThroughput: -1, uploadThroughput: -1 });
  return cdp;
}

interface Paint {
  lcpMs: number;
  /** The element of the LCP, as tag#id.class: what the page shows last and largest. */
  element: string;
}

const TWO_FRAMES = 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))';

/**
 * Loads the page and waits until it has shown its data: no request for half a second, then the
 * paint that follows (on a busy machine the main thread may still be rendering when the network
 * goes quiet). Returns its LCP.
 */
async function loadAndMeasure(page: Page, url: string): Promise<Paint> {
  const response = await page.goto(url, { waitUntil: 'networkidle' });
  if (!response?.ok()) throw new Error(`GET ${url}: ${response?.status() ?? 'no response'}`);
  if (new URL(page.url()).pathname === '/login') throw new Error(`GET ${url} went to the login page: the bench's session is not accepted`);
  await page.evaluate(TWO_FRAMES);
  await page.waitForFunction('window.__lcp.length > 0', undefined, { timeout: 10_000 }).catch(() => {});
  await page.evaluate(TWO_FRAMES);
  const lcp = Number(await page.evaluate('window.__lcp.at(-1) ?? NaN'));
  if (!Number.isFinite(lcp)) {
    const shown = String(await page.evaluate('document.body.innerText')).slice(0, 300);
    throw new Error(`GET ${url}: no largest-contentful-paint entry; the page shows: ${JSON.stringify(shown)}`);
  }
  return { lcpMs: lcp, element: String(await page.evaluate('window.__lcpElement')) };
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

async function measureLcp(browser: Browser, options: WebBenchOptions, target: WebPage, rttMs: number): Promise<LcpFigure[]> {
  const cold: number[] = [];
  const warm: number[] = [];
  let requests = 0;
  let element = '';
  const url = new URL(target.path, options.gatewayUrl).href;
  // One load first, not measured: the platform's own caches (sessions, plans) start cold too.
  const warmUp = await newContext(browser, options);
  await loadAndMeasure(await warmUp.newPage(), url).finally(() => warmUp.close());
  for (let run = 0; run < options.runs; run++) {
    // A fresh context is a fresh HTTP cache and connection pool: a first visit.
    const context = await newContext(browser, options);
    try {
      const page = await context.newPage();
      const cdp = await emulateRtt(page, rttMs);
      const transfers = await recordTransfers(cdp);
      const first = await loadAndMeasure(page, url);
      cold.push(first.lcpMs);
      requests = Math.max(requests, transfers().length);
      // The same tab again: assets from the HTTP cache, the shell and the data from the server.
      await page.goto('about:blank');
      const again = await loadAndMeasure(page, url);
      warm.push(again.lcpMs);
      element = again.element;
    } finally {
      await context.close();
    }
  }
  return [
    { page: target.label, rttMs, cache: 'cold', lcpMs: median(cold), requests, runs: cold, element },
    { page: target.label, rttMs, cache: 'warm', lcpMs: median(warm), requests, runs: warm, element },
  ];
}

async function weighRoute(browser: Browser, options: WebBenchOptions, target: WebPage): Promise<RouteWeight> {
  const context = await newContext(browser, options);
  try {
    const page = await context.newPage();
    const transfers = await recordTransfers(await context.newCDPSession(page));
    await loadAndMeasure(page, new URL(target.path, options.gatewayUrl).href);
    const all = transfers();
    const js = all.filter((t) => t.type === 'Script');
    const html = all.find((t) => t.type === 'Document');
    return {
      page: target.label,
      jsBytes: js.reduce((sum, t) => sum + t.bytes, 0),
      jsFiles: js.length,
      htmlBytes: html?.bytes ?? Number.NaN,
      htmlEncoding: html?.encoding ?? 'none',
    };
  } finally {
    await context.close();
  }
}

async function apiEncoding(browser: Browser, options: WebBenchOptions): Promise<string> {
  const context = await newContext(browser, options);
  try {
    const page = await context.newPage();
    const answered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/clients');
    await page.goto(new URL('/clients', options.gatewayUrl).href);
    const response = await answered;
    return (await response.allHeaders())['content-encoding'] ?? 'identity';
  } finally {
    await context.close();
  }
}

/**
 * The web app in real Chromium: LCP of each page on a first visit (cold cache) and a return
 * visit (warm), at each simulated round-trip time (DevTools latency on every request), and the
 * JavaScript a first load of each route transfers.
 */
export async function runWebBench(options: WebBenchOptions): Promise<WebBenchResult> {
  const browser = await launchBrowser();
  try {
    const lcp: LcpFigure[] = [];
    for (const rtt of options.rtts) {
      for (const target of options.pages) {
        log(`web: ${target.label} at ${rtt} ms RTT, ${options.runs} cold + warm loads`);
        lcp.push(...(await measureLcp(browser, options, target, rtt)));
      }
    }
    const routes: RouteWeight[] = [];
    for (const target of options.routes) routes.push(await weighRoute(browser, options, target));
    return { lcp, routes, apiEncoding: await apiEncoding(browser, options) };
  } finally {
    await browser.close();
  }
}
