import { invoiceTotals, Money } from '@atelier/money';
import { invoiceDocumentFrom, type InvoiceDocument, type InvoiceFigures } from '../src/pdf/invoice-document.js';

/** A 1×1 transparent PNG: the smallest logo the renderer prints. */
export const PNG_LOGO = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

export interface SampleOptions {
  lines?: number;
  status?: string;
  country?: string;
  currency?: string;
  locale?: string;
  overrides?: (figures: InvoiceFigures) => void;
}

/**
 * An invoice whose figures come from libs/money's `invoiceTotals`, like the API's: lines of
 * varied quantities and prices, a 5 % discount, GST 5 % and QST 9.975 % on the same base.
 */
export function sampleFigures(options: SampleOptions = {}): InvoiceFigures {
  const currency = options.currency ?? 'EUR';
  const count = options.lines ?? 3;
  const inputs = Array.from({ length: count }, (_, i) => ({
    description: i === 0 ? 'Design sprint — discovery workshop' : `Development, week ${i + 1}`,
    quantity: i === 0 ? '1.5' : String(3 + (i % 7) * 1.25),
    unitPrice: i === 0 ? '138.66' : `${90 + (i % 5) * 10}.00`,
  }));
  const lines = currency === 'JPY' ? inputs.map((l) => ({ ...l, unitPrice: l.unitPrice.split('.')[0]! })) : inputs;
  const discount = { type: 'percent' as const, value: '5' };
  const taxes = [
    { name: 'GST', rate: '5' },
    { name: 'QST', rate: '9.975' },
  ];
  const totals = invoiceTotals({ currency, lines, discount, taxes, rounding: 'line' });
  const amountPaid = Money.of(currency === 'JPY' ? '100' : '100.00', currency);
  const figures: InvoiceFigures = {
    agency: {
      name: 'Studio Nord GmbH',
      addressLines: ['Torstraße 12', '10119 Berlin', 'Germany'],
      taxId: 'DE123456789',
      logo: PNG_LOGO,
      email: 'billing@studio-nord.example',
      country: options.country ?? 'DE',
    },
    client: { name: 'Acme Corporation', addressLines: ['1 Market Street', 'San Francisco, CA 94105'], taxId: 'US-99-1234567' },
    invoice: {
      number: options.status === 'draft' ? null : 'INV-2026-0042',
      status: options.status ?? 'sent',
      issueDate: '2026-12-02',
      dueDate: '2027-01-01',
      currency,
      lines: lines.map((line, i) => ({ description: line.description, quantity: line.quantity, unitPrice: Money.of(line.unitPrice, currency), amount: totals.lines[i]!.amount, taxRate: null })),
      subtotal: totals.subtotal,
      discount: { ...discount, amount: totals.discountAmount },
      taxes: totals.taxes,
      total: totals.total,
      amountPaid,
      amountDue: totals.total.minus(amountPaid),
      notes: 'Thank you for your business.\nQuestions? Reply to this email.',
      terms: 'Payment within 30 days. Late payments incur 1 % interest per month.',
      footer: 'Studio Nord GmbH · Amtsgericht Berlin HRB 12345 · IBAN DE89 3704 0044 0532 0130 00',
      paymentUrl: 'https://app.atelier.example/i/abc123',
      publicUrl: 'https://app.atelier.example/i/abc123',
    },
    locale: options.locale ?? 'en-US',
  };
  options.overrides?.(figures);
  return figures;
}

export const sampleDocument = (options: SampleOptions = {}): InvoiceDocument => invoiceDocumentFrom(sampleFigures(options));
