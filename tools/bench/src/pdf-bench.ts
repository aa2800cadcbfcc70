import { readdirSync, readFileSync } from 'node:fs';
import { invoiceTotals, Money } from '@atelier/money';
// The renderer runs in billing-service's process; the bench hosts it the same way, in its own, to
// measure it with nothing else in between (no route serves PDFs yet).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { invoiceDocumentFrom, type InvoiceDocument } from '../../../apps/billing-service/src/pdf/invoice-document.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { renderInvoiceHtml } from '../../../apps/billing-service/src/pdf/invoice-html.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createPdfRenderer, launchPdfBrowser, lockDownPage, printPage } from '../../../apps/billing-service/src/pdf/pdf-renderer.js';
import { summarize, type Summary } from './stats.js';

export interface PdfBenchOptions {
  /** Measured renders through the pool, and with a browser launched for each PDF. */
  pooledRenders: number;
  freshRenders: number;
  /** Renders in flight at once, for both. */
  concurrency: number;
  /** Rounds the two alternate in, so that a burst of load elsewhere on the machine hits both alike. */
  rounds: number;
  largeLines: number;
  largeRuns: number;
  log: (line: string) => void;
}

export interface PdfBenchResult {
  concurrency: number;
  pooled: Summary;
  fresh: Summary;
  /** fresh p50 / pooled p50. */
  ratio: number;
  large: Summary & { lines: number; pages: number };
  /** At the peak of the pooled renders: VmRSS of this process and the sum over the browser's processes, and the browser's PSS. */
  rss: { processMb: number; browserMb: number; browserPssMb: number; browserProcesses: number };
  pdfBytes: number;
}

/** An invoice of `lines` lines, its figures from libs/money as the API computes them. */
export function benchInvoice(lines: number): InvoiceDocument {
  const inputs = Array.from({ length: lines }, (_, i) => ({ description: `Development and review, sprint ${i + 1}`, quantity: String(2 + (i % 9) * 0.75), unitPrice: `${95 + (i % 4) * 15}.00` }));
  const taxes = [{ name: 'VAT', rate: '19' }];
  const totals = invoiceTotals({ currency: 'EUR', lines: inputs, discount: { type: 'percent', value: '5' }, taxes, rounding: 'line' });
  return invoiceDocumentFrom({
    agency: { name: 'Bench Studio GmbH', addressLines: ['Torstraße 12', '10119 Berlin', 'Germany'], taxId: 'DE123456789', logo: null, email: 'billing@bench.example', country: 'DE' },
    client: { name: 'Bench Client Ltd', addressLines: ['1 Market Street', 'Leeds LS1 1AA', 'United Kingdom'], taxId: 'GB123456789' },
    invoice: {
      number: 'INV-2026-0001',
      status: 'sent',
      issueDate: '2026-12-02',
      dueDate: '2027-01-01',
      currency: 'EUR',
      lines: inputs.map((l, i) => ({ description: l.description, quantity: l.quantity, unitPrice: Money.of(l.unitPrice, 'EUR'), amount: totals.lines[i]!.amount, taxRate: null })),
      subtotal: totals.subtotal,
      discount: { type: 'percent', value: '5', amount: totals.discountAmount },
      taxes: totals.taxes,
      total: totals.total,
      amountPaid: Money.zero('EUR'),
      amountDue: totals.total,
      notes: 'Thank you for your business.',
      terms: 'Payment within 30 days.',
      footer: 'Bench Studio GmbH · IBAN DE89 3704 0044 0532 0130 00',
      paymentUrl: 'https://app.atelier.example/i/bench',
      publicUrl: null,
    },
    locale: 'en-GB',
  });
}

function rssKb(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Proportional set size: the pages Chromium's processes share (its binary, above all) counted once across them. */
function pssKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The browser's process and all below it (zygotes, renderers, the GPU and network services). */
function treeOf(pid: number): number[] {
  const children: number[] = [];
  try {
    // Each thread lists the children it forked: Chromium starts its helpers from several.
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) children.push(...text.split(' ').map(Number));
    }
  } catch {
    // gone
  }
  return [pid, ...children.flatMap(treeOf)];
}

/** Runs `count` calls of `task` with `concurrency` in flight; the duration of each, ms. */
async function timed(count: number, concurrency: number, task: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) {
        const started = performance.now();
        await task();
        times.push(performance.now() - started);
      }
    }),
  );
  return times;
}

/**
 * A 1-page invoice through the pool against a browser launched for each PDF (the same flags, the
 * same locked-down page), in alternating rounds at the same concurrency; then a long invoice; and
 * the memory of the process and of its browser while the pool is busy.
 */
export async function runPdfBench(options: PdfBenchOptions): Promise<PdfBenchResult> {
  const renderer = createPdfRenderer({ poolSize: options.concurrency, renderTimeoutMs: 60_000, chromePath: process.env.CHROME_PATH });
  const doc = benchInvoice(8);
  try {
    // Warm: the browser started, every page of the pool opened, the template and fonts read.
    await timed(4 * options.concurrency, options.concurrency, () => renderer.render(doc));
    const pdfBytes = (await renderer.render(doc)).length;
    const fresh = async () => {
      const browser = await launchPdfBrowser(process.env.CHROME_PATH);
      try {
        const page = await browser.newPage();
        await lockDownPage(page, () => {});
        // The same work as `render`: the document's HTML made, then printed.
        await printPage({ page, shell: null }, renderInvoiceHtml(doc), { paper: doc.paper });
      } finally {
        await browser.close();
      }
    };
    await fresh();

    const pooledTimes: number[] = [];
    const freshTimes: number[] = [];
    let peak = { processMb: 0, browserMb: 0, browserPssMb: 0, browserProcesses: 0 };
    const sample = () => {
      const pid = renderer.browserPid();
      const tree = pid ? treeOf(pid) : [];
      const browserMb = tree.reduce((sum, p) => sum + rssKb(p), 0) / 1024;
      const processMb = rssKb(process.pid) / 1024;
      if (processMb + browserMb > peak.processMb + peak.browserMb) {
        peak = { processMb, browserMb, browserPssMb: tree.reduce((sum, p) => sum + pssKb(p), 0) / 1024, browserProcesses: tree.length };
      }
    };
    for (let round = 1; round <= options.rounds; round++) {
      const sampler = setInterval(sample, 50);
      pooledTimes.push(...(await timed(Math.ceil(options.pooledRenders / options.rounds), options.concurrency, () => renderer.render(doc))));
      clearInterval(sampler);
      sample();
      freshTimes.push(...(await timed(Math.ceil(options.freshRenders / options.rounds), options.concurrency, fresh)));
      options.log(`pdf: round ${round}/${options.rounds} done`);
    }

    const large = benchInvoice(options.largeLines);
    let pages = 0;
    const largeTimes = await timed(options.largeRuns, 1, async () => {
      const pdf = await renderer.render(large);
      pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    });
    const pooled = summarize(pooledTimes);
    const freshSummary = summarize(freshTimes);
    return {
      concurrency: options.concurrency,
      pooled,
      fresh: freshSummary,
      ratio: freshSummary.p50 / pooled.p50,
      large: { ...summarize(largeTimes), lines: options.largeLines, pages },
      rss: peak,
      pdfBytes,
    };
  } finally {
    await renderer.close();
  }
}
