import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The web app's unit tests are transformed with apps/web/tsconfig.json, which extends the
 * tsconfig `svelte-kit sync` generates. A clean clone has none yet, so generate it once.
 */
export default function unitGlobalSetup() {
  const web = fileURLToPath(new URL('../../../apps/web/', import.meta.url));
  if (existsSync(`${web}.svelte-kit/tsconfig.json`)) return;
  execFileSync('npx', ['svelte-kit', 'sync'], { cwd: web, stdio: 'inherit' });
}
