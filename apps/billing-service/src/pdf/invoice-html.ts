import { readFileSync } from 'node:fs';
import Handlebars from 'handlebars';
import { FONT_STACK, loadFontSubsets, subsetsFor, type FontSubset } from './invoice-fonts.js';
import type { InvoiceDocument } from './invoice-document.js';

const templateFile = (name: string) => readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8');

/** Raster images only, base64 only: an SVG can carry scripts and links, any other scheme is a request. */
const LOGO = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const WEB_LINK = /^https?:\/\/[^\s]+$/i;

/** The logo to print, or null: anything but an inline raster image is left out, never fetched. */
export const safeLogo = (logo: string | null | undefined): string | null => (logo && LOGO.test(logo) ? logo : null);

/** A link the PDF may make clickable; anything else (`javascript:`, `file:`) is printed as text only. */
const safeLink = (url: string | null | undefined): string | null => (url && WEB_LINK.test(url) ? url : null);

/**
 * One Handlebars environment of our own, compiled once: a helper registered elsewhere in the
 * process cannot change how invoices render. `strict` turns a misspelt field into an error
 * instead of a silently empty cell. The stylesheet and fonts are partials (trusted, ours); every
 * value of the document goes through `{{ }}`, which escapes it.
 */
const handlebars = Handlebars.create();
handlebars.registerPartial('styles', templateFile('invoice.css'));
handlebars.registerPartial('font-stack', FONT_STACK);
const fonts = loadFontSubsets();
const fontOfChar = new Map<number, FontSubset | null>();
const registered = new Set<string>();

/** The `@font-face` partials this document's text needs, registered at their first use. */
function fontPartials(text: string) {
  return subsetsFor(fonts, text, fontOfChar).map((subset) => {
    if (!registered.has(subset.partial)) {
      handlebars.registerPartial(subset.partial, subset.css());
      registered.add(subset.partial);
    }
    return { partial: subset.partial };
  });
}
/**
 * A value as a CSS string literal, for the page's margin boxes (`content:`): every character but
 * letters, digits, space, `.`, `_` and `-` as a CSS escape, so nothing can end the string, the
 * rule or the <style> element. What it returns holds no character HTML would act on either.
 */
handlebars.registerHelper('cssString', (value: unknown) => {
  const escaped = [...String(value ?? '')].map((c) => (/[A-Za-z0-9 ._-]/.test(c) ? c : `\\${c.codePointAt(0)!.toString(16)} `)).join('');
  return new handlebars.SafeString(`"${escaped}"`);
});
const invoiceTemplate = handlebars.compile(templateFile('invoice.hbs'), { strict: true, knownHelpersOnly: true, knownHelpers: { cssString: true } });

/** The template's own view: the document plus what the layout derives from it. */
function viewOf(doc: InvoiceDocument) {
  const { invoice } = doc;
  // Every string the document prints (the logo is not text).
  const text = JSON.stringify({ ...doc, agency: { ...doc.agency, logo: null } });
  return {
    ...doc,
    fontPartials: fontPartials(text),
    logo: safeLogo(doc.agency.logo),
    title: invoice.number ? `Invoice ${invoice.number}` : 'Draft invoice',
    /** A CSS page size of ours, never the caller's string. */
    pageSize: doc.paper === 'Letter' ? 'letter' : 'A4',
    /** At the foot of every page, beside its number: a draft says so on each. */
    pageLabel: invoice.isDraft ? `DRAFT${invoice.number ? ` · ${invoice.number}` : ''}` : (invoice.number ?? ''),
    numberLabel: invoice.number ?? 'Not yet issued',
    hasLineTaxes: invoice.lines.some((line) => line.taxRate !== null),
    paymentLink: safeLink(invoice.paymentUrl),
    publicLink: invoice.publicUrl && invoice.publicUrl !== invoice.paymentUrl ? safeLink(invoice.publicUrl) : null,
    paymentText: invoice.paymentUrl,
  };
}

/** The invoice as a self-contained HTML page (fonts and logo inline, no other URL): what the PDF is printed from, and a preview. */
export function renderInvoiceHtml(doc: InvoiceDocument): string {
  return invoiceTemplate(viewOf(doc));
}
