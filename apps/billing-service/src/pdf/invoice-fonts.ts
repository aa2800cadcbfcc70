import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * The fonts an invoice prints with, from @fontsource packages, in fallback order: Inter for
 * Latin, Cyrillic, Greek and Vietnamese; Noto Sans JP for Japanese, CJK ideographs and the
 * full-width signs a CJK locale formats money with (ja-JP writes "￥500"). Chromium's own fonts
 * do not have them, and a figure must never print as a blank.
 */
const FAMILIES = [
  { family: 'Inter', pkg: '@fontsource/inter', file: 'inter', skip: new Set<string>() },
  { family: 'Noto Sans JP', pkg: '@fontsource/noto-sans-jp', file: 'noto-sans-jp', skip: new Set(['latin', 'latin-ext', 'cyrillic', 'vietnamese']) },
] as const;
const WEIGHTS = [400, 600] as const;
export const FONT_STACK = `${FAMILIES.map((f) => `'${f.family}'`).join(', ')}, sans-serif`;

export interface FontSubset {
  /** The Handlebars partial holding this subset's `@font-face` rules. */
  partial: string;
  family: string;
  ranges: [number, number][];
  /** `@font-face` rules of both weights, each woff2 inlined as a `data:` URL; read at first use. */
  css(): string;
}

const parseRanges = (range: string): [number, number][] =>
  range.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(from!, 16), parseInt(to ?? from!, 16)];
  });

/**
 * Every subset of every family, in fallback order, Inter's latin first. The rules hold only base64 and the ranges of
 * the packages' own unicode.json; each subset's files are read once, when a document first needs
 * it (Noto Sans JP alone has 120 subsets).
 */
export function loadFontSubsets(): FontSubset[] {
  return FAMILIES.flatMap(({ family, pkg, file, skip }) => {
    const unicode = JSON.parse(readFileSync(require.resolve(`${pkg}/unicode.json`), 'utf8')) as Record<string, string>;
    // Latin first: a character several subsets share (U+0304…) comes from the one every invoice loads anyway.
    const first = (key: string) => (key === 'latin' ? 0 : key === 'latin-ext' ? 1 : 2);
    return Object.entries(unicode)
      .filter(([key]) => !skip.has(key))
      .sort(([a], [b]) => first(a) - first(b))
      .map(([key, range]): FontSubset => {
        if (!/^[U+0-9A-Fa-f,\s-]+$/.test(range)) throw new Error(`${pkg} has an odd unicode range for ${key}`);
        const name = key.replace(/^\[(\d+)\]$/, '$1');
        let css: string | null = null;
        return {
          partial: `font-${file}-${name}`,
          family,
          ranges: parseRanges(range),
          css: () =>
            (css ??= WEIGHTS.map((weight) => {
              const data = readFileSync(require.resolve(`${pkg}/files/${file}-${name}-${weight}-normal.woff2`)).toString('base64');
              return `@font-face{font-family:'${family}';font-style:normal;font-weight:${weight};font-display:block;src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${range.replace(/\s/g, '')};}`;
            }).join('\n')),
        };
      });
  });
}

/**
 * The subsets `text` needs: Inter's latin always (the template's own words), any other only for
 * a character no earlier subset has. Every inlined font is parsed at each render: six unused
 * subsets cost a 1-page invoice about a third of its time.
 */
export function subsetsFor(subsets: readonly FontSubset[], text: string, cache: Map<number, FontSubset | null>): FontSubset[] {
  const needed = new Set<FontSubset>(subsets.slice(0, 1));
  for (const char of new Set(text)) {
    const code = char.codePointAt(0)!;
    if (code < 0x100) continue;
    let subset = cache.get(code);
    if (subset === undefined) {
      subset = subsets.find((s) => s.ranges.some(([from, to]) => code >= from && code <= to)) ?? null;
      cache.set(code, subset);
    }
    if (subset) needed.add(subset);
  }
  return subsets.filter((s) => needed.has(s));
}
