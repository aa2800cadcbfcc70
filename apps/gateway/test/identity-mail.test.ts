import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, startTcpProxy, waitFor, type TcpProxy } from '@atelier/platform/testing';
import { ORIGIN, signUp, uniqueEmail } from './gateway-harness.js';
import { startIdentityStack, type IdentityStack } from './identity-harness.js';

let stack: IdentityStack;
let proxy: TcpProxy;
beforeAll(async () => {
  // The gateway reaches the SMTP server through a proxy the test can cut.
  stack = await startIdentityStack({}, {
    smtpUrl: async (smtp) => {
      proxy = await startTcpProxy({ host: smtp.host, port: smtp.port });
      return `smtp://${proxy.host}:${proxy.port}`;
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  await proxy?.close();
});

describe('identity mail survives an SMTP outage', () => {
  it('an invitation made while SMTP is down is emailed once it is back', async () => {
    const { browser } = await signUp(stack.url);
    await proxy.cut();
    const email = uniqueEmail('outage');
    const created = await browser.post('/api/auth/invitations', { email, role: 'member' });
    expect(created.status).toBe(201);
    // The job ran and failed against the closed port at least once, and is waiting to retry.
    const [failed] = await waitFor(async () => {
      const rows = await stack.admin<{ attempts: number; last_error: string | null; status: string }[]>`
        select attempts, last_error, status from identity.jobs where name = 'identity.mail.send' and payload->>'to' = ${email}`;
      return rows[0]?.last_error ? rows : undefined;
    });
    expect(failed?.status).toBe('queued');
    expect(stack.smtp.to(email)).toEqual([]);

    await proxy.restore();
    const mail = await stack.smtp.next((m) => m.rcptTo.includes(email), 20_000);
    expect(linkIn(mail, `${ORIGIN}/invite/`)).toContain(encodeURIComponent(created.body.token));
    // The message is on the wire before the job records its success, so the job's state is polled
    // (waitFor fails the test if it never becomes completed).
    await waitFor(async () => {
      const [row] = await stack.admin<{ status: string }[]>`select status from identity.jobs where payload->>'to' = ${email}`;
      return row?.status === 'completed';
    });
  });
});
