import { z } from 'zod';
import { loadConfig, localAdminUrl } from '@atelier/platform';

export const SCENARIOS = ['list', 'events', 'export', 'search', 'import', 'login', 'web', 'reorder', 'time', 'timelog', 'fromtime', 'invoicelist', 'attachments', 'pdf', 'checkout', 'webhooks', 'paid'] as const;
/** Scenarios that need the Stripe emulator (started beside the platform only for them). */
export const PAYMENT_SCENARIOS = new Set<string>(['checkout', 'webhooks', 'paid']);
/** Scenarios that need no platform: they measure code in the bench's own process. */
export const STANDALONE_SCENARIOS = new Set<string>(['pdf']);

/** See BENCH_BASELINE_EVENT_CPU_MS and BENCH_BASELINE_LIST_CPU_MS. */
const BASELINE_EVENT_CPU_MS = 12.05;
const BASELINE_LIST_CPU_MS = 13.54;

/** Every knob has the value of the scenario; the environment can shrink them for a quick try. */
export const loadBenchConfig = () =>
  loadConfig(
    z.object({
      DATABASE_ADMIN_URL: z.url().default(localAdminUrl()),
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
      /** A smaller import in the same run, first: the rate at BENCH_IMPORT_ROWS should hold up against it. */
      BENCH_IMPORT_SMALL_ROWS: z.coerce.number().int().min(1).default(20_000),
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
      /** Loads of each page per round-trip time and cache state in the web scenario (the median is reported). */
      BENCH_WEB_RUNS: z.coerce.number().int().min(1).default(5),
      /** Simulated round-trip times of the web scenario, ms, comma-separated. */
      BENCH_WEB_RTTS: z
        .string()
        .default('0,150')
        .transform((v) => v.split(',').map((s) => Number(s.trim())))
        .pipe(z.array(z.number().int().min(0).max(2000)).min(1)),
      /**
       * Main's CPU per created client (event scenario) and per client list through the gateway, ms,
       * over the platform's processes, before issue 7's cost cut, measured on the 2-core machine the
       * issue names (docs/architecture.md › Cost per event). The table holds each figure to
       * TARGETS.cpuVsBaseline of it; on another machine measure main there and set these (0: no target).
       */
      BENCH_BASELINE_EVENT_CPU_MS: z.coerce.number().min(0).default(BASELINE_EVENT_CPU_MS),
      BENCH_BASELINE_LIST_CPU_MS: z.coerce.number().min(0).default(BASELINE_LIST_CPU_MS),
      /** Log every statement of the bench database with its duration, and the plans of slow ones, to the server's log. */
      BENCH_LOG_STATEMENTS: z.stringbool().default(false),
      /** Tasks on the board of the reorder scenario, and the drags measured on it (as many again warm it up, not counted). */
      BENCH_REORDER_TASKS: z.coerce.number().int().min(4).max(200).default(200),
      BENCH_REORDER_COUNT: z.coerce.number().int().min(1).default(500),
      BENCH_REORDER_WARMUP: z.coerce.number().int().min(0).default(50),
      /** The time scenario's agency: members, projects, and a year of entries (work days × entries a day per member). */
      BENCH_TIME_MEMBERS: z.coerce.number().int().min(1).default(50),
      BENCH_TIME_PROJECTS: z.coerce.number().int().min(1).default(10),
      BENCH_TIME_WORKDAYS: z.coerce.number().int().min(5).max(261).default(240),
      BENCH_TIME_ENTRIES_PER_DAY: z.coerce.number().int().min(1).default(5),
      /** Other agencies with a year of time each (the measured agency is one of BENCH_TIME_AGENCIES), and their entries. */
      BENCH_TIME_AGENCIES: z.coerce.number().int().min(1).default(100),
      BENCH_TIME_OTHER_ENTRIES: z.coerce.number().int().min(0).default(600),
      /** Measured requests per endpoint (timesheet week, project summary), paced together at BENCH_TIME_RATE per second. */
      BENCH_TIME_REQUESTS: z.coerce.number().int().min(1).default(500),
      BENCH_TIME_RATE: z.coerce.number().min(1).default(50),
      /** Time entries logged (each crossing a budget threshold) at BENCH_TIMELOG_RATE per second, after a warm-up not counted. */
      BENCH_TIMELOG_COUNT: z.coerce.number().int().min(1).default(500),
      BENCH_TIMELOG_WARMUP: z.coerce.number().int().min(0).default(50),
      BENCH_TIMELOG_RATE: z.coerce.number().min(1).default(50),
      /** Drafts from time (POST /api/invoices/from-time, grouped by task), each of a fresh project with BENCH_FROMTIME_ENTRIES unbilled entries; one more first, not counted. */
      BENCH_FROMTIME_ENTRIES: z.coerce.number().int().min(1).default(5000),
      BENCH_FROMTIME_TASKS: z.coerce.number().int().min(1).max(1000).default(20),
      BENCH_FROMTIME_ROUNDS: z.coerce.number().int().min(1).default(5),
      /** Issued invoices of the measured agency, and GET /api/invoices requests paced at BENCH_INVOICELIST_RATE per second. */
      BENCH_INVOICELIST_INVOICES: z.coerce.number().int().min(1).default(100_000),
      BENCH_INVOICELIST_CLIENTS: z.coerce.number().int().min(1).max(1000).default(100),
      BENCH_INVOICELIST_REQUESTS: z.coerce.number().int().min(1).default(500),
      BENCH_INVOICELIST_RATE: z.coerce.number().min(1).default(50),
      /** Size of the attachment uploaded and downloaded (the per-file limit by default), and how many times. */
      BENCH_ATTACHMENT_MB: z.coerce.number().int().min(1).max(50).default(50),
      BENCH_ATTACHMENT_ROUNDS: z.coerce.number().int().min(1).default(3),
      /** The invoice PDF: renders measured through the pool, and with a browser launched for each (alternating in BENCH_PDF_ROUNDS rounds), at BENCH_PDF_CONCURRENCY at once. */
      BENCH_PDF_RENDERS: z.coerce.number().int().min(1).default(200),
      BENCH_PDF_FRESH_RENDERS: z.coerce.number().int().min(1).default(30),
      BENCH_PDF_CONCURRENCY: z.coerce.number().int().min(1).max(8).default(2),
      BENCH_PDF_ROUNDS: z.coerce.number().int().min(1).default(3),
      BENCH_PDF_LARGE_LINES: z.coerce.number().int().min(1).default(500),
      BENCH_PDF_LARGE_RUNS: z.coerce.number().int().min(1).default(5),
      /** Checkout Sessions created (POST /api/payments/checkout via the gateway, each for its own issued invoice) at BENCH_CHECKOUT_RATE per second; a tenth as many first, not counted. */
      BENCH_CHECKOUT_COUNT: z.coerce.number().int().min(1).default(300),
      BENCH_CHECKOUT_RATE: z.coerce.number().min(1).default(20),
      /**
       * Webhook intake: BENCH_WEBHOOK_INVOICES invoices paid on the emulator per measurement, their
       * events (four a card payment) delivered with BENCH_WEBHOOK_DUPLICATES of them a second time,
       * each near its place in the stream: once paced at BENCH_WEBHOOK_RATE per second (the
       * target's rate), once over BENCH_WEBHOOK_CONCURRENCY connections back to back (the most it
       * takes). A warm-up of a tenth as many first.
       */
      BENCH_WEBHOOK_INVOICES: z.coerce.number().int().min(10).default(300),
      BENCH_WEBHOOK_DUPLICATES: z.coerce.number().min(0).max(1).default(0.2),
      BENCH_WEBHOOK_RATE: z.coerce.number().min(1).default(200),
      BENCH_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
      /** Payment succeeded → invoice shown paid: checkout.session.completed of BENCH_PAID_COUNT paid sessions delivered at BENCH_PAID_RATE per second (a tenth as many first, not counted). */
      BENCH_PAID_COUNT: z.coerce.number().int().min(1).default(200),
      BENCH_PAID_RATE: z.coerce.number().min(1).default(10),
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
  /** p99 of GET /api/timesheet (a week) and GET /api/time-entries/summary (a project's year) at 50 requests/s, ms. */
  timeReadP99Ms: 50,
  /** p99 of time entry logged → its budget event on the crm timeline at 50 entries/s, ms. */
  timelogP99Ms: 100,
  /** The slowest draft from 5,000 unbilled entries (POST /api/invoices/from-time via the gateway), ms. */
  fromTimeMs: 1000,
  /** p99 of GET /api/invoices (first page, a status tab, a client's) on an agency with 100,000 invoices at 50 requests/s, ms. */
  invoiceListP99Ms: 50,
  /** p99 of one drag on a 200-task board (POST /api/projects/:id/tasks/reorder via the gateway), ms. */
  reorderP99Ms: 50,
  /** Gateway p50 / direct crm-service p50 of the client list. */
  gatewayOverheadRatio: 1.3,
  /** CPU per event and per proxied list request (platform total) as a share of main's baseline on the same machine. */
  cpuVsBaseline: 0.5,
  /** p99 of client-created -> timeline-visible, ms. */
  eventP99Ms: 50,
  /**
   * CSV import rows/s end to end (upload → job → rows committed → their events applied by the
   * timeline and billing's contacts replica), as a share of the faithful baseline: the same rows in
   * one INSERT … SELECT into `LIKE crm.contacts INCLUDING ALL`.
   */
  importVsBaseline: 0.6,
  /** The end-to-end rate at BENCH_IMPORT_ROWS as a share of the rate at BENCH_IMPORT_SMALL_ROWS (within 20 %). */
  importScaleRatio: 0.8,
  /** Peak RSS of crm-service during an import or an export, MB. */
  crmRssMb: 300,
  /** p99 of GET /api/search and GET /api/clients?search=, ms. */
  searchP99Ms: 30,
  /** Largest contentful paint of /clients and of a client page at webRttMs of round-trip time, ms. */
  webLcpMs: 1000,
  webRttMs: 150,
  /** JavaScript a first load of a route transfers, compressed, KB. */
  webFirstLoadJsKb: 100,
  /** p50 of a 1-page invoice PDF through the pool at 2 concurrent, ms; and how many times faster than a browser per PDF. */
  pdfPooledP50Ms: 100,
  pdfPooledSpeedup: 10,
  /** A 500-line invoice PDF, ms. */
  pdfLargeMs: 2000,
  /** Signed Stripe events taken by POST /webhooks/stripe, events/s, and p99 to the 2xx at that rate, ms. */
  webhookEventsPerS: 200,
  webhookP99Ms: 50,
  /** p99 of the webhook's 2xx → GET /api/invoices/:id showing the invoice paid, ms. */
  paidShownP99Ms: 200,
} as const;
