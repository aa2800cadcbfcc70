import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer, InvalidMailError, type MailConfig } from '../src/mail/index.js';
import { startTcpProxy, startTestSmtp, waitFor, type TestSmtp } from '../src/testing/index.js';

const logger = pino({ level: 'silent' });
const configFor = (url: string, delays = [50, 100, 200, 400, 800, 1600]): MailConfig => ({
  SMTP_URL: url,
  SMTP_HOST: '127.0.0.1',
  SMTP_PORT: 1025,
  SMTP_SECURE: false,
  MAIL_FROM: 'Atelier <no-reply@atelier.test>',
  MAIL_RETRY_DELAYS_MS: delays,
});

let smtp: TestSmtp;
beforeAll(async () => {
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp?.stop();
});

describe('kit mailer', () => {
  it('sends plain text and HTML parts from MAIL_FROM over SMTP', async () => {
    const mailer = createMailer(configFor(smtp.url), logger);
    const sent = await mailer.send({ to: { name: 'Ada Lovelace', address: 'ada@example.test' }, subject: 'Hello — Grüße', text: 'Plain body', html: '<p>HTML body</p>' });
    expect(sent.accepted).toEqual(['ada@example.test']);
    const mail = await smtp.next((m) => m.rcptTo.includes('ada@example.test'));
    expect(mail.parsed.subject).toBe('Hello — Grüße');
    expect(mail.parsed.text?.trim()).toBe('Plain body');
    expect(mail.parsed.html).toContain('<p>HTML body</p>');
    expect(mail.parsed.from?.value[0]).toEqual({ name: 'Atelier', address: 'no-reply@atelier.test' });
    expect(mail.parsed.to && !Array.isArray(mail.parsed.to) ? mail.parsed.to.value[0] : null).toEqual({ name: 'Ada Lovelace', address: 'ada@example.test' });
    await mailer.close();
  });

  it('cannot be made to add headers or recipients through a subject or a display name', async () => {
    const mailer = createMailer(configFor(smtp.url), logger);
    await mailer.send({
      to: { name: 'Eve\r\nBcc: victim@example.test', address: 'crlf@example.test' },
      subject: 'Invite\r\nBcc: victim@example.test\r\nX-Injected: yes',
      text: 'body',
    });
    const mail = await smtp.next((m) => m.rcptTo.includes('crlf@example.test'));
    expect(mail.rcptTo).toEqual(['crlf@example.test']);
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.parsed.headers.has('x-injected')).toBe(false);
    expect(mail.parsed.subject).toBe('Invite Bcc: victim@example.test X-Injected: yes');
    expect(mail.raw).not.toMatch(/^X-Injected:/m);
    expect(mail.raw).not.toMatch(/^Bcc:/im);
    expect(smtp.to('victim@example.test')).toEqual([]);
    await mailer.close();
  });

  it('sends cc, a From display name of the sender, and attachments, all header-safe', async () => {
    const mailer = createMailer(configFor(smtp.url), logger);
    const pdf = Buffer.from('%PDF-1.7 test bytes');
    await mailer.send(
      { to: 'att@example.test', cc: ['cc1@example.test', { name: 'C\r\nBcc: victim@example.test', address: 'cc2@example.test' }], fromName: 'Studio\r\nBcc: victim@example.test', subject: 's', text: 't' },
      [{ filename: 'INV-1.pdf\r\nX-Injected: yes', contentType: 'application/pdf', content: pdf }],
    );
    const mail = await smtp.next((m) => m.rcptTo.includes('att@example.test'));
    expect(mail.rcptTo.sort()).toEqual(['att@example.test', 'cc1@example.test', 'cc2@example.test']);
    expect(mail.parsed.from?.value[0]).toEqual({ name: 'Studio Bcc: victim@example.test', address: 'no-reply@atelier.test' });
    expect(mail.parsed.attachments).toHaveLength(1);
    expect(mail.parsed.attachments[0]!.content.equals(pdf)).toBe(true);
    expect(mail.parsed.attachments[0]!.contentType).toBe('application/pdf');
    expect(mail.parsed.headers.has('bcc')).toBe(false);
    expect(mail.raw).not.toMatch(/^X-Injected:/m);
    expect(smtp.to('victim@example.test')).toEqual([]);
    await expect(mailer.send({ to: 'ok@example.test', cc: ['bad\r\nBcc: victim@example.test'], subject: 's', text: 't' })).rejects.toBeInstanceOf(InvalidMailError);
    await mailer.close();
  });

  it('refuses an address that carries a line break instead of cleaning it', async () => {
    const mailer = createMailer(configFor(smtp.url), logger);
    await expect(mailer.send({ to: 'a@example.test\r\nBcc: victim@example.test', subject: 's', text: 't' })).rejects.toBeInstanceOf(InvalidMailError);
    expect(() => mailer.deliver({ to: 'a@example.test,victim@example.test', subject: 's', text: 't' })).toThrow(InvalidMailError);
    await mailer.close();
  });

  it('delivers a mail sent while the SMTP server is down once it is back', async () => {
    const proxy = await startTcpProxy({ host: smtp.host, port: smtp.port });
    await proxy.cut();
    const failures: string[] = [];
    const recording = pino({ level: 'warn' }, { write: (line: string) => failures.push(line) });
    const mailer = createMailer(configFor(`smtp://${proxy.host}:${proxy.port}`), recording);
    mailer.deliver({ to: 'outage@example.test', subject: 'During the outage', text: 'still arrives' });
    // The server comes back only after an attempt has failed against the closed port.
    await waitFor(() => failures.some((l) => l.includes('mail: send failed')));
    expect(smtp.to('outage@example.test')).toEqual([]);
    await proxy.restore();
    await mailer.idle();
    const mail = await smtp.next((m) => m.rcptTo.includes('outage@example.test'));
    expect(mail.parsed.subject).toBe('During the outage');
    await mailer.close();
    await proxy.close();
  });
});
