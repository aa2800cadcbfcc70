import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

/**
 * The stable error codes a service's source throws: the first argument of the kit's DomainError
 * helpers (`notFoundError('client.not_found'`, `new DomainError('invalid', 'x.y'`) and of a rate
 * limiter's `hit('auth.login_throttled'`. Tests check each against the contract's catalogue.
 */
export function thrownErrorCodes(srcDir: string): string[] {
  const pattern = /(?:Error|invalid|invalidField|DomainError\('\w+',|\.hit)\s*\(?\s*'([a-z_]+\.[a-z_]+)'/g;
  return [...new Set(files(srcDir).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(pattern)].map((m) => m[1] as string)))];
}
