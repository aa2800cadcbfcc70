import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfPage {
  /** The page's text, its runs joined, whitespace collapsed to single spaces. */
  text: string;
  /** Width and height of the MediaBox, in points. */
  width: number;
  height: number;
}

/** What a reader of the PDF gets: each page's text (pdf.js, as a viewer extracts it) and size. */
export async function readPdf(bytes: Uint8Array): Promise<PdfPage[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false, useSystemFonts: false }).promise;
  try {
    const pages: PdfPage[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      const text = content.items
        .map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : ''))
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      pages.push({ text, width: x1 - x0, height: y1 - y0 });
    }
    return pages;
  } finally {
    await doc.destroy();
  }
}

export const pdfText = async (bytes: Uint8Array) => (await readPdf(bytes)).map((p) => p.text).join(' ');

/** The PDF's Title (Chromium takes it from the document's <title>). */
export async function pdfTitle(bytes: Uint8Array): Promise<string | null> {
  const doc = await getDocument({ data: new Uint8Array(bytes), isEvalSupported: false }).promise;
  try {
    const { info } = (await doc.getMetadata()) as { info: { Title?: string } };
    return info.Title ?? null;
  } finally {
    await doc.destroy();
  }
}
