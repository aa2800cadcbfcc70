/**
 * The client build's chunks, one per area of the app, so a first load fetches the shell and
 * the area it opens, in a handful of files (a chunk per component would cost round trips on a
 * slow network; one bundle for everything outgrew the 100 KB first-load budget):
 * - `app`: the Svelte and SvelteKit runtime, the libs, the shell with its time tracker, the
 *   primitives (`$lib/components/ui`, the data layer, messages) and the few pieces every area
 *   shares (client and member names, the client picker);
 * - `crm`, `projects`, `time`, `billing`, `account`: the screens of each area and their components.
 * A module no rule names (a route's own small entry) is left where Rollup puts it.
 */
const shared = [
  '/node_modules/',
  '/libs/',
  'virtual:contract-limits',
  '/src/lib/api.ts',
  '/src/lib/data/',
  '/src/lib/components/ui/',
  '/src/lib/components/clients/client-names.svelte.ts',
  '/src/lib/components/clients/ClientPicker.svelte',
  // The shell's first-screen preloads (lib/data/first-screen.ts) build the clients list request from it.
  '/src/lib/components/clients/client-list.ts',
  '/src/lib/components/projects/members.svelte.ts',
  // A client's page shows its projects with these: shared, or every crm screen would load the projects area.
  '/src/lib/components/projects/ProjectBudget.svelte',
  '/src/lib/components/projects/ProjectStatusBadge.svelte',
  '/src/lib/components/projects/BudgetBar.svelte',
  '/src/lib/components/projects/labels.ts',
  // The files panel of clients (crm), projects and tasks (projects).
  '/src/lib/components/attachments/',
  // Settings pages of every area sit in the same frame.
  '/src/lib/components/settings/',
  '/src/lib/components/time/timer.svelte.ts',
  '/src/lib/components/time/TimerBar.svelte',
  '/src/lib/components/time/ProjectTaskFields.svelte',
  '/src/lib/components/time/names.svelte.ts',
  '/src/lib/components/time/duration.ts',
  // The task board's moves: the invoice builder reorders its lines with them too.
  '/src/lib/components/tasks/board.ts',
  // A client's and a project's page list their invoices, the dashboard sums them: shared, or
  // those screens would load the billing area (the builder) with them.
  '/src/lib/components/invoices/RelatedInvoices.svelte',
  '/src/lib/components/invoices/InvoiceStatusBadge.svelte',
  '/src/lib/components/invoices/SumList.svelte',
  '/src/lib/components/invoices/labels.ts',
  '/src/lib/components/invoices/summary.ts',
  // The shell's first-screen preloads build the invoice list's requests from it.
  '/src/lib/components/invoices/invoice-list.ts',
  '/src/routes/+layout',
  '/src/routes/+error.svelte',
  '/src/routes/(app)/+layout.svelte',
];

const areas: [string, string[]][] = [
  ['time', ['/src/lib/components/time/', '/src/routes/(app)/time/', '/src/routes/(app)/timesheet/', '/src/routes/(app)/settings/time/', '/src/routes/(app)/settings/rates/']],
  ['billing', ['/src/lib/components/invoices/', '/src/routes/(app)/invoices/', '/src/routes/(app)/settings/invoicing/', '/src/routes/(public)/']],
  ['projects', ['/src/lib/components/projects/', '/src/lib/components/tasks/', '/src/routes/(app)/projects/']],
  [
    'crm',
    [
      '/src/lib/components/clients/',
      '/src/lib/components/contacts/',
      '/src/lib/components/notes/',
      '/src/lib/components/timeline/',
      '/src/lib/components/imports/',
      '/src/lib/components/dashboard/',
      '/src/routes/(app)/clients/',
      '/src/routes/(app)/contacts/',
      '/src/routes/(app)/imports/',
      '/src/routes/(app)/timeline/',
      '/src/routes/(app)/+page.svelte',
    ],
  ],
  ['account', ['/src/routes/(app)/settings/', '/src/routes/(auth)/']],
];

/** Files filed with another area than their folder's. */
const exceptions: [string, string][] = [
  // Shown on a client's page only.
  ['/src/lib/components/projects/ClientProjects.svelte', 'crm'],
  // The client screens' first requests (the server hook preloads them): theirs, not the shell's.
  ['/src/lib/data/first-screen.ts', 'crm'],
];

/** Top-level `$lib` modules (format, messages, session…) are the app's own vocabulary: shared. */
const topLevelLib = /\/src\/lib\/[^/]+\.(ts|svelte)$/;

export function chunkOf(id: string): string | undefined {
  const path = id.replace(/\\/g, '/').replace(/\?.*$/, '');
  for (const [file, name] of exceptions) if (path.includes(file)) return name;
  if (shared.some((s) => path.includes(s)) || topLevelLib.test(path)) return 'app';
  for (const [name, prefixes] of areas) if (prefixes.some((p) => path.includes(p))) return name;
  return undefined;
}
