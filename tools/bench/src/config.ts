import { z } from 'zod';
import { loadConfig } from '@atelier/platform';

export const SCENARIOS = ['list', 'events', 'export', 'search', 'import'] as const;

/** Every knob has the value of the scenario; the environment can shrink them for a quick try. */
export const loadBenchConfig = () =>
  loadConfig(
    z.object({
      DATABASE_ADMIN_URL: z.url().default('postgres://postgres@127.0.0.1:5432/postgres'),
      AMQP_URL: z.url().default('amqp://guest:guest@127.0.0.1:5672'),
      BENCH_AGENCIES: z.coerce.number().int().min(1).default(100),
      BENCH_CLIENTS_PER_AGENCY: z.coerce.number().int().min(51).default(10_000),
      BENCH_SEED_PARALLEL: z.coerce.number().int().min(1).max(8).default(2),
      BENCH_CONNECTIONS: z.coerce.number().int().min(1).default(10),
      BENCH_DURATION_S: z.coerce.number().int().min(1).default(10),
      BENCH_WARMUP_S: z.coerce.number().int().min(0).default(2),
      /** Slices per target of the client-list measurement, alternating gateway and direct. */
      BENCH_ROUNDS: z.coerce.number().int().min(1).default(2),
      BENCH_EVENT_RATE: z.coerce.number().min(1).default(100),
      BENCH_EVENT_COUNT: z.coerce.number().int().min(1).default(1000),
      /** Events sent first at the same rate, drained and not counted (the path starts cold). */
      BENCH_EVENT_WARMUP: z.coerce.number().int().min(0).default(200),
      /** Contacts in the generated CSV import, linked to this many existing clients of the measured agency. */
      BENCH_IMPORT_ROWS: z.coerce.number().int().min(1).default(100_000),
      BENCH_IMPORT_CLIENTS: z.coerce.number().int().min(1).default(1_000),
      /** Clients of the agency exported whole, and of the agency searched. */
      BENCH_EXPORT_CLIENTS: z.coerce.number().int().min(1).default(200_000),
      BENCH_SEARCH_CLIENTS: z.coerce.number().int().min(4).default(100_000),
      /**
       * Measured requests per search endpoint and measurement: first paced at BENCH_SEARCH_RATE
       * per second (the target's figure), then back to back over BENCH_SEARCH_CONNECTIONS.
       */
      BENCH_SEARCH_REQUESTS: z.coerce.number().int().min(1).default(1_000),
      BENCH_SEARCH_RATE: z.coerce.number().min(1).default(50),
      BENCH_SEARCH_CONNECTIONS: z.coerce.number().int().min(1).default(4),
      /** Which scenarios to run, comma-separated. */
      BENCH_SCENARIOS: z
        .string()
        .default(SCENARIOS.join(','))
        .transform((v) => new Set(v.split(',').map((s) => s.trim())))
        .pipe(z.set(z.enum(SCENARIOS)).min(1)),
    }),
  );
export type BenchConfig = ReturnType<typeof loadBenchConfig>;

/** Fixed, so the bench can sign internal tokens that crm-service accepts. Never a real deployment's secret. */
export const BENCH_INTERNAL_SECRET = 'atelier-bench-internal-token-secret-0123456789';

export const TARGETS = {
  /** Gateway p50 / direct crm-service p50 of the client list. */
  gatewayOverheadRatio: 1.3,
  /** p99 of client-created -> timeline-visible, ms. */
  eventP99Ms: 50,
  /** CSV import rows/s end to end, as a share of a raw COPY of the same rows. */
  importVsCopy: 0.3,
  /** Peak RSS of crm-service during an import or an export, MB. */
  crmRssMb: 300,
  /** p99 of GET /api/search and GET /api/clients?search=, ms. */
  searchP99Ms: 30,
} as const;
