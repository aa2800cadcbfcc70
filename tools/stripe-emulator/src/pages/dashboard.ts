import { formatAmount } from '../currency.js';
import type { Emulator } from '../emulator.js';
import { html, page } from './html.js';

const time = (unix: number) => new Date(unix * 1000).toISOString().replace('T', ' ').slice(0, 19);
const meta = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ');

/** `/`: what a person checks while clicking through the product (sessions, payments, deliveries). */
export function dashboardPage(emulator: Emulator): string {
  const { state, webhooks } = emulator;
  const sessions = state.sessions.newestFirst().slice(0, 50).map((s) => html`<tr>
    <td>${s.status === 'open' ? html`<a href="/checkout/${s.id}"><code>${s.id.slice(0, 20)}…</code></a>` : html`<code>${s.id.slice(0, 20)}…</code>`}</td>
    <td>${time(s.created)}</td><td>${formatAmount(s.amount_total, s.currency)}</td>
    <td><span class="badge">${s.status}</span></td><td><span class="badge">${s.payment_status}</span></td><td>${meta(s.metadata)}</td></tr>`);
  const payments = state.paymentIntents.newestFirst().slice(0, 50).map((pi) => {
    const charge = pi.latest_charge ? state.charges.get(pi.latest_charge) : undefined;
    return html`<tr><td><code>${pi.id}</code></td><td>${time(pi.created)}</td><td>${formatAmount(pi.amount, pi.currency)}</td>
      <td><span class="badge">${pi.status}</span></td><td>${charge ? `${charge.payment_method_details.type} ${charge.status}` : '—'}</td>
      <td>${charge && charge.amount_refunded > 0 ? formatAmount(charge.amount_refunded, charge.currency) : '—'}</td></tr>`;
  });
  const deliveries = [...webhooks.deliveries].reverse().slice(0, 100).map((d) => {
    const last = d.attempts.at(-1);
    return html`<tr><td>${d.event_type}${d.duplicate ? ' (duplicate)' : ''}</td><td><code>${d.event_id}</code></td><td>${d.url}</td>
      <td><span class="badge">${d.state}</span></td><td>${d.attempts.length}</td><td>${last ? (last.status ?? last.error) : '—'}</td></tr>`;
  });
  const endpoints = webhooks.endpoints.map((e) => html`<li><code>${e.url}</code> (${e.enabled_events.join(', ')})</li>`);
  return page('Stripe emulator', html`
    <h1>Stripe emulator</h1>
    <p>API at <code>${emulator.config.publicUrl}/v1</code>. Controls under <code>/_emulator</code> (see docs/stripe-emulator.md).</p>
    <section class="card" aria-labelledby="endpoints-h"><h2 id="endpoints-h">Webhook endpoints</h2>
      ${endpoints.length ? html`<ul>${endpoints}</ul>` : html`<p>None configured (set STRIPE_WEBHOOK_URL).</p>`}</section>
    <section class="card" aria-labelledby="sessions-h"><h2 id="sessions-h">Checkout Sessions</h2>
      <table><thead><tr><th scope="col">Session</th><th scope="col">Created (UTC)</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Payment</th><th scope="col">Metadata</th></tr></thead>
      <tbody>${sessions}</tbody></table></section>
    <section class="card" aria-labelledby="payments-h"><h2 id="payments-h">Payments</h2>
      <table><thead><tr><th scope="col">PaymentIntent</th><th scope="col">Created (UTC)</th><th scope="col">Amount</th><th scope="col">Status</th><th scope="col">Charge</th><th scope="col">Refunded</th></tr></thead>
      <tbody>${payments}</tbody></table></section>
    <section class="card" aria-labelledby="deliveries-h"><h2 id="deliveries-h">Webhook deliveries</h2>
      <table><thead><tr><th scope="col">Event</th><th scope="col">Id</th><th scope="col">Endpoint</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Last answer</th></tr></thead>
      <tbody>${deliveries}</tbody></table></section>`);
}
