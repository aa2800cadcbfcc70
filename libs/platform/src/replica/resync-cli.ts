import { z } from 'zod';
import { Uuid } from '@atelier/contracts';
import { loadConfig } from '../config/load-config.js';
import { createDatabase, type Db } from '../db/database.js';
import { resync, type ResyncSource } from './resync.js';

export interface ResyncCommand {
  service: string;
  sources: ResyncSource[];
  /**
   * Every agency that has something to republish, read across agencies by the schema owner role
   * (which bypasses row-level security; the writes then run as the service role, per agency).
   */
  agencies: (owner: Db) => Promise<string[]>;
}

/**
 * `npm run resync -- <service> [--agency <id>]`: the kit command behind a service's resync
 * entry point. Prints one line per agency and a total; exit code 2 for bad arguments.
 */
export async function runResyncCommand(command: ResyncCommand, argv: string[] = process.argv.slice(2)): Promise<void> {
  const args = z
    .tuple([z.literal('--agency'), Uuid])
    .or(z.tuple([]))
    .safeParse(argv);
  if (!args.success) {
    process.stderr.write(`usage: resync ${command.service} [--agency <uuid>]\n`);
    process.exit(2);
  }
  const env = loadConfig(
    z.object({
      DATABASE_URL: z.url().default(`postgres://atelier_${command.service}:atelier_${command.service}@127.0.0.1:5432/atelier`),
      DATABASE_OWNER_URL: z.url().default(`postgres://atelier_${command.service}_owner:atelier_${command.service}_owner@127.0.0.1:5432/atelier`),
    }),
  );
  const database = createDatabase(env.DATABASE_URL, { max: 1, applicationName: `${command.service}-resync` });
  const owner = createDatabase(env.DATABASE_OWNER_URL, { max: 1, applicationName: `${command.service}-resync` });
  try {
    const agencyIds = args.data.length === 2 ? [args.data[1]] : await command.agencies(owner.db);
    const reports = await resync(database.db, command.sources, agencyIds);
    const total: Record<string, number> = {};
    for (const r of reports) {
      for (const [entity, n] of Object.entries(r.counts)) total[entity] = (total[entity] ?? 0) + n;
      process.stdout.write(`${command.service} resync ${r.agencyId}: ${JSON.stringify(r.counts)}\n`);
    }
    process.stdout.write(`${command.service} resync: ${reports.length} agencies, ${JSON.stringify(total)} written to the outbox\n`);
  } finally {
    await database.close();
    await owner.close();
  }
}
