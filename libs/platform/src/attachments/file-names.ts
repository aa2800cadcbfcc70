const MAX_NAME = 255;

/**
 * The name an uploaded file keeps: its last path segment (some clients send a whole path), without
 * control or bidirectional-override characters (a name "gpj.exe" shown reversed), trimmed, at most
 * 255 characters with the extension kept; "file" if nothing is left.
 */
export function cleanFileName(raw: string | null | undefined): string {
  const last = (raw ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = last.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  if (!clean || clean === '.' || clean === '..') return 'file';
  if (clean.length <= MAX_NAME) return clean;
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
  return clean.slice(0, MAX_NAME - ext.length) + ext;
}

/** An ASCII stand-in for old clients: letters, digits and `.-_ ` only. */
const asciiFallback = (name: string): string => {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._ -]/g, '_').replace(/^\.+/, '_');
  return ascii || 'file';
};

const rfc5987 = (name: string) => encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * A `Content-Disposition` that cannot be broken out of: an ASCII `filename` with nothing a header
 * or quoted string would treat specially, and the real name as RFC 5987 `filename*` (UTF-8).
 */
export function contentDisposition(kind: 'attachment' | 'inline', fileName: string): string {
  return `${kind}; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${rfc5987(fileName)}`;
}
