import chromium from '@sparticuz/chromium';
import type { Logger } from 'pino';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import type { InvoiceDocument, Paper } from './invoice-document.js';
import { renderInvoiceHtml } from './invoice-html.js';
import type { PdfRendererConfig } from './pdf-config.js';

export type PdfRenderErrorCode = 'pdf.timeout' | 'pdf.closed' | 'pdf.failed';

/** A PDF could not be made: the server's fault, never the request's (no DomainError, so a 500). */
export class PdfRenderError extends Error {
  constructor(
    readonly code: PdfRenderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PdfRenderError';
  }
}

export interface PdfRendererStats {
  renders: number;
  /** Requests the pages made for anything but a `data:` URL, each aborted before it left the browser. */
  blockedRequests: number;
  timeouts: number;
  /** Renders that swapped the body of a page already holding an invoice's shell, instead of loading the whole document. */
  bodySwaps: number;
  /** Browsers started so far: 1 in a quiet life, one more after each crash. */
  launches: number;
}

export interface RenderHtmlOptions {
  /** The paper of a page whose CSS names none (the invoice's own `@page` rules name theirs). */
  paper: Paper;
  /** This render's limit instead of the configured `renderTimeoutMs`. */
  timeoutMs?: number;
}

export interface PdfRenderer {
  /** The invoice's PDF: the same HTML as `renderInvoiceHtml`, printed on the document's paper. */
  render(doc: InvoiceDocument): Promise<Buffer>;
  /** Prints any page through the same locked-down pool; what `render` uses. */
  renderHtml(html: string, options: RenderHtmlOptions): Promise<Buffer>;
  /** Starts the browser now instead of at the first render. */
  warmUp(): Promise<void>;
  stats(): PdfRendererStats;
  /** The browser's process id, null while none runs (for RSS figures and for tests that kill it). */
  browserPid(): number | null;
  /** The kit's worker hooks: `start` warms up when configured, `stop` closes. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Closes the browser; renders after it fail with `pdf.closed`. */
  close(): Promise<void>;
}

/** How long a page that timed out may take to close before its browser is killed for it. */
const DISCARD_GRACE_MS = 2_000;

/**
 * The flags of @sparticuz/chromium's Lambda build, less what would weaken a long-lived browser:
 * web security stays on, and multi-process mode, so that one bad page kills its renderer and not
 * every render in flight. Background traffic of Chromium's own (updates, sync) is off too.
 */
const QUIET = ['--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-sync', '--no-first-run', '--mute-audio'];
const UNSAFE = new Set(['--disable-web-security', '--allow-running-insecure-content', '--disable-site-isolation-trials', '--single-process']);

export const browserLaunchArgs = (chromePath: string | undefined): string[] =>
  chromePath ? ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', ...QUIET] : [...chromium.args.filter((a) => !UNSAFE.has(a)), ...QUIET];

/** Launches the renderer's kind of browser: what the pool keeps, and what the bench's per-PDF baseline starts each time. */
export async function launchPdfBrowser(chromePath?: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromePath || (await chromium.executablePath()),
    args: browserLaunchArgs(chromePath),
    headless: chromePath ? true : 'shell',
    // A pipe, not a port: nothing else on the host can reach the browser's DevTools.
    pipe: true,
    // The service decides when to stop; the browser is closed by `close()`, not by a signal of its own.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/** Locks a page down: no script runs, and every request but an inline `data:` one is aborted. */
export async function lockDownPage(page: Page, onBlocked: (url: string) => void): Promise<void> {
  await page.setJavaScriptEnabled(false);
  await page.setRequestInterception(true);
  page.on('request', (request: HTTPRequest) => {
    if (request.isInterceptResolutionHandled()) return;
    if (request.url().startsWith('data:')) {
      void request.continue().catch(() => {});
    } else {
      onBlocked(request.url());
      void request.abort('blockedbyclient').catch(() => {});
    }
  });
}

/** A page's document in two: what stays from one invoice to the next (head, body tag), and the rest. */
interface SplitDocument {
  /** The document without its title and its body's content: two invoices with the same key differ only in those. */
  shell: string;
  title: string;
  body: string;
}

const DOCUMENT = /^([\s\S]*?<body[^>]*>)([\s\S]*)(<\/body>\s*<\/html>\s*)$/;
const TITLE = /<title>([^<]*)<\/title>/;

export function splitDocument(html: string): SplitDocument | null {
  const parts = DOCUMENT.exec(html);
  if (!parts) return null;
  const [, head, body, tail] = parts as unknown as [string, string, string, string];
  return { shell: head.replace(TITLE, '<title></title>') + tail, title: TITLE.exec(head)?.[1] ?? '', body };
}

/** The little of the page's DOM that `swapBody` touches (the service is compiled without the DOM's types). */
declare const document: {
  title: string;
  body: { innerHTML: string };
  fonts: { ready: Promise<unknown> };
  images: ArrayLike<{ decode(): Promise<void> }>;
  createElement(tag: 'textarea'): { innerHTML: string; value: string };
};

/**
 * Puts the next invoice into a page that holds one of the same shell: the body's content and the
 * title replaced, the head (its CSP, styles and inlined fonts) kept. Chromium then skips parsing
 * and decoding the fonts again, which is 40 % of a 1-page invoice. Run by the DevTools protocol:
 * the page's own JavaScript stays off.
 */
function swapBody(title: string, body: string): Promise<unknown> {
  // The title arrives HTML-escaped, as in the document; a textarea decodes it without parsing markup.
  const decoder = document.createElement('textarea');
  decoder.innerHTML = title;
  document.title = decoder.value;
  document.body.innerHTML = body;
  return Promise.all([document.fonts.ready, ...Array.from(document.images, (img) => img.decode().catch(() => {}))]);
}

/** A pool page and the shell of the document it holds (null: not an invoice's, or unknown after a failure). */
export interface PrintTarget {
  page: Page;
  shell: string | null;
}

/**
 * Prints the HTML on a locked-down page: loaded (inline fonts and images only) by `setContent`,
 * or, when the page already holds a document of the same shell, by swapping its body; then PDF.
 */
export async function printPage(target: PrintTarget, html: string, options: RenderHtmlOptions, onSwap?: () => void): Promise<Buffer> {
  const split = splitDocument(html);
  const { page } = target;
  if (split && target.shell === split.shell) {
    await page.evaluate(swapBody, split.title, split.body);
    onSwap?.();
  } else {
    target.shell = null;
    // The caller's timer bounds the whole render; puppeteer's own timeouts would only race it.
    await page.setContent(html, { waitUntil: 'load', timeout: 0 });
    target.shell = split?.shell ?? null;
  }
  // Paper, margins and the page numbers in the margins come from the page's CSS: Chromium's
  // header and footer templates would print each page's footer as a document of its own, a
  // quarter of a 1-page invoice's time, and without the inlined fonts.
  const pdf = await page.pdf({ format: options.paper, preferCSSPageSize: true, printBackground: true, timeout: 0 });
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}

/** A counting semaphore with a FIFO queue: at most `size` renders hold a page at once. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

interface PooledPage extends PrintTarget {
  browser: Browser;
}

class Timeout extends Error {}

const withTimeout = <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Timeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
};

/**
 * One long-lived browser and a pool of `poolSize` locked-down pages. The browser starts at the
 * first render (or `warmUp`), and again at the next render after it died; a render that was in
 * flight when it died is tried once more on the new one. A render that outlives
 * `renderTimeoutMs` fails and its page is thrown away (its browser too, if the page will not close).
 */
export function createPdfRenderer(config: PdfRendererConfig, logger?: Logger): PdfRenderer {
  const slots = new Slots(config.poolSize);
  let browser: Promise<Browser> | null = null;
  let current: Browser | null = null;
  let idle: PooledPage[] = [];
  let closed = false;
  const stats: PdfRendererStats = { renders: 0, blockedRequests: 0, timeouts: 0, launches: 0, bodySwaps: 0 };

  /** Drops a browser that died, so that the next render launches another. */
  const forget = (dead: Browser) => {
    if (current !== dead) return;
    browser = null;
    current = null;
    idle = [];
  };

  const launch = (): Promise<Browser> => {
    if (current && !current.connected) forget(current);
    if (browser) return browser;
    const starting = launchPdfBrowser(config.chromePath).then(
      (b) => {
        stats.launches++;
        current = b;
        b.once('disconnected', () => {
          if (current === b && !closed) logger?.warn('the PDF browser went away; the next render starts another');
          forget(b);
        });
        if (closed) void b.close().catch(() => {});
        return b;
      },
      (err: unknown) => {
        if (browser === starting) browser = null;
        throw new PdfRenderError('pdf.failed', `the PDF browser did not start: ${(err as Error).message}`, { cause: err });
      },
    );
    browser = starting;
    return starting;
  };

  const takePage = async (b: Browser): Promise<PooledPage> => {
    while (idle.length > 0) {
      const pooled = idle.pop()!;
      if (pooled.browser === b && !pooled.page.isClosed()) return pooled;
    }
    const page = await b.newPage();
    try {
      await lockDownPage(page, () => stats.blockedRequests++);
    } catch (err) {
      // A page that is not locked down is never used.
      void page.close().catch(() => {});
      throw err;
    }
    return { page, browser: b, shell: null };
  };

  const discard = (pooled: PooledPage) => {
    const closing = pooled.page.close().catch(() => {});
    const timer = setTimeout(() => {
      // A page that will not even close has wedged its renderer: start afresh.
      logger?.warn('a PDF page did not close after its render timed out; restarting the browser');
      pooled.browser.process()?.kill('SIGKILL');
    }, DISCARD_GRACE_MS);
    void closing.finally(() => clearTimeout(timer));
  };

  const renderHtml = async (html: string, options: RenderHtmlOptions): Promise<Buffer> => {
    const timeoutMs = options.timeoutMs ?? config.renderTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      if (closed) throw new PdfRenderError('pdf.closed', 'the PDF renderer is closed');
      await slots.acquire();
      let used: Browser | null = null;
      let pooled: PooledPage | null = null;
      try {
        used = await launch();
        pooled = await takePage(used);
        const pdf = await withTimeout(printPage(pooled, html, options, () => stats.bodySwaps++), timeoutMs);
        stats.renders++;
        idle.push(pooled);
        return pdf;
      } catch (err) {
        if (pooled) discard(pooled);
        if (err instanceof Timeout) {
          stats.timeouts++;
          throw new PdfRenderError('pdf.timeout', `the PDF took longer than ${timeoutMs} ms`);
        }
        if (err instanceof PdfRenderError) throw err;
        if (used && !used.connected) {
          forget(used);
          if (attempt === 1 && !closed) continue;
        }
        throw new PdfRenderError('pdf.failed', `the PDF could not be rendered: ${(err as Error).message}`, { cause: err });
      } finally {
        slots.release();
      }
    }
  };

  const close = async () => {
    closed = true;
    const starting = browser;
    browser = null;
    current = null;
    idle = [];
    const b = await starting?.catch(() => null);
    await b?.close().catch(() => b.process()?.kill('SIGKILL'));
  };

  const warmUp = async () => {
    await launch();
  };

  return {
    render: (doc) => renderHtml(renderInvoiceHtml(doc), { paper: doc.paper }),
    renderHtml,
    warmUp,
    stats: () => ({ ...stats }),
    browserPid: () => current?.process()?.pid ?? null,
    start: async () => {
      if (config.warmStart) await warmUp();
    },
    stop: close,
    close,
  };
}
