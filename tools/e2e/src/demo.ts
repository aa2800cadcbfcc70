/**
 * `npm run demo`: the Milestone-2 flow, in a headless browser, against a platform that is already
 * running (`npm start`, http://localhost:3000; BASE_URL points elsewhere). Unlike the gate's test
 * it cleans nothing up: the agency it signs up stays, for a person to sign in and look around.
 * (Nothing here may import vitest, as `crm.ts` does: this runs under plain tsx.)
 */
import { launchBrowser } from './browser.js';
import {
  addPrimaryContact,
  addTasks,
  createClient,
  createProject,
  invoiceProjectTime,
  logTimeManually,
  logTimeWithTimer,
  payOnHostedCheckout,
  previewPdf,
  sendInvoice,
  signUpAgency,
  startPayment,
  TimingRecorder,
  waitForPublicPaid,
  waitForStaffPaid,
} from './milestone-flow.js';

const baseUrl = (process.env.BASE_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
const step = (what: string) => console.log(`· ${what}`);

async function main(): Promise<void> {
  const health = await fetch(`${baseUrl}/signup`).catch(() => null);
  if (!health?.ok) throw new Error(`Nothing answers at ${baseUrl}: start the platform with \`npm start\` (or set BASE_URL).`);

  const browser = await launchBrowser();
  const timings = new TimingRecorder(baseUrl);
  try {
    const staff = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    timings.watch(staff);
    const page = await staff.newPage();
    const stamp = new Date().toISOString().slice(0, 16).replace('T', ' ');

    step(`signing up the agency "Demo Studio ${stamp}"`);
    const login = await signUpAgency(page, baseUrl, `Demo Studio ${stamp}`, 'Dana Demo');
    step('client Acme Corp, with John Doe as its primary contact');
    const clientId = await createClient(page, { name: 'Acme Corp', email: 'accounts@acme.example' });
    await addPrimaryContact(page, 'Acme Corp', { firstName: 'John', lastName: 'Doe', email: 'john.doe@acme.example' });
    step('project Website Redesign, its tasks, time on them (timer and typed)');
    const projectId = await createProject(page, { name: 'Website Redesign', clientName: 'Acme Corp', hourlyRate: '120.00' });
    await addTasks(page, baseUrl, projectId, ['Wireframes', 'Visual design']);
    await logTimeWithTimer(page, { projectName: 'Website Redesign', taskTitle: 'Wireframes', description: 'Homepage wireframes' });
    await logTimeManually(page, baseUrl, projectId, { projectName: 'Website Redesign', taskTitle: 'Visual design', duration: '2:00', description: 'Style tiles' });
    step('the invoice from the project’s time, its PDF, sent to accounts@acme.example');
    const invoiceId = await invoiceProjectTime(page, baseUrl, projectId, 'Website Redesign', 2);
    const pdf = await previewPdf(page, invoiceId);
    if (pdf.status !== 200) throw new Error(`the invoice's PDF answered ${pdf.status}`);
    const number = await sendInvoice(page, 'accounts@acme.example', 'Thank you for the Website Redesign.');
    // Read, not a step of the flow: where the email's link leads.
    const read = await page.request.get(`${baseUrl}/api/invoices/${invoiceId}`, { headers: { Accept: 'application/json' } });
    const { publicUrl } = (await read.json()) as { publicUrl: string | null };
    if (!publicUrl) throw new Error(`${number} has no public link`);
    const publicPath = new URL(publicUrl).pathname;

    step(`the client opens ${number}'s link and pays with 4242 4242 4242 4242`);
    const visitor = await browser.newContext();
    timings.watch(visitor);
    const client = await visitor.newPage();
    await client.goto(`${baseUrl}${publicPath}`);
    await startPayment(client);
    await payOnHostedCheckout(client);
    await waitForPublicPaid(client);
    await visitor.close();
    step('the webhook landed: the invoice is paid');
    await waitForStaffPaid(page, baseUrl, invoiceId, number);
    await staff.close();

    console.log(`
Done. The agency stays for you to look at:
  Sign in:         ${baseUrl}/login
  Email:           ${login.email}
  Password:        ${login.password}
  Client:          ${baseUrl}/clients/${clientId}
  Project:         ${baseUrl}/projects/${projectId}
  Invoice (staff): ${baseUrl}/invoices/${invoiceId}
  Invoice (public, as the client sees it): ${baseUrl}${publicPath}
${timings.report()}`);
  } catch (err) {
    // Where each page was when the step failed says more than Playwright's timeout does.
    const pages = browser.contexts().flatMap((c) => c.pages());
    const where = await Promise.all(
      pages.map(async (p) => {
        const alerts = await p.getByRole('alert').allTextContents().catch(() => []);
        return alerts.length ? `${p.url()} (saying: ${alerts.map((a) => a.trim()).join(' / ')})` : p.url();
      }),
    );
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n  pages open at: ${where.join(', ') || 'none'}`, { cause: err });
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
