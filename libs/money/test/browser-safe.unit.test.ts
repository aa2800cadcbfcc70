import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The web app imports this lib: nothing in it may need Node.
describe('libs/money is browser-safe', () => {
  it('imports only big.js and its own files, and uses no Node globals', () => {
    const dir = new URL('../src/', import.meta.url);
    const offending = readdirSync(dir).flatMap((file) => {
      const text = readFileSync(new URL(file, dir), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]!).filter((spec) => spec !== 'big.js' && !spec.startsWith('./'));
      const globals = ['process.', 'Buffer', 'require('].filter((g) => text.includes(g));
      return [...imports, ...globals].map((what) => `${file}: ${what}`);
    });
    expect(offending).toEqual([]);
  });
});
