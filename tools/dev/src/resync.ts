import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run resync -- <producer> [--agency <uuid>]`: runs the producer's resync entry point, which
 * writes the current snapshots of one agency (or every agency) to its outbox; the producer's
 * running relay publishes them. Producers that can resync, by name:
 */
const producers: Record<string, string> = { crm: 'apps/crm-service/src/resync-cli.ts', projects: 'apps/projects-service/src/resync-cli.ts' };

const [producer, ...rest] = process.argv.slice(2);
const entry = producer ? producers[producer] : undefined;
if (!entry) {
  console.error(`usage: npm run resync -- <${Object.keys(producers).join('|')}> [--agency <uuid>]`);
  process.exit(2);
}
const root = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const result = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, entry), ...rest], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
