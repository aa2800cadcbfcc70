import { fileTypeFromBuffer } from 'file-type';

/** Bytes of a file's start that are enough to judge its type (file-type reads at most 4100). */
export const SNIFF_BYTES = 4100;

const TEXT_MARKUP: [RegExp, string][] = [
  [/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg[^>]*>\s*)?<svg[\s/>]/i, 'image/svg+xml'],
  [/^\s*(<!--[\s\S]*?-->\s*)*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<script[\s>]|<iframe[\s>])/i, 'text/html'],
  [/^\s*<\?xml[\s>]/i, 'application/xml'],
];

const isUtf8Text = (head: Buffer): boolean => {
  if (head.includes(0)) return false;
  // A multi-byte character may be cut at the end of the head: judge the whole bytes only.
  let end = head.length;
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = head[end - back] as number;
    if ((b & 0xc0) === 0xc0) {
      end -= back;
      break;
    }
    if ((b & 0x80) === 0) break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
};

/**
 * The content type of a file judged by its bytes, never by what the uploader said: binary formats
 * by their signatures (file-type), then markup a browser would run (HTML, SVG, which file-type
 * leaves to the caller) and UTF-8 text; anything else is `application/octet-stream`.
 */
export async function sniffContentType(head: Buffer): Promise<string> {
  if (head.length === 0) return 'application/octet-stream';
  const found = await fileTypeFromBuffer(head);
  // file-type calls any XML `application/xml`; an SVG among them is what matters here.
  if (found && found.mime !== 'application/xml') return found.mime;
  const text = head.subarray(head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0);
  if (!isUtf8Text(text)) return 'application/octet-stream';
  const start = text.toString('utf8');
  for (const [pattern, type] of TEXT_MARKUP) if (pattern.test(start)) return type;
  return 'text/plain';
}
