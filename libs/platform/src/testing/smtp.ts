import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitFor } from './wait-for.js';

export interface ReceivedMail {
  /** Envelope recipients (RCPT TO): who the server was asked to deliver to, whatever the headers say. */
  rcptTo: string[];
  mailFrom: string;
  parsed: ParsedMail;
  /** The raw message as it crossed the wire. */
  raw: string;
}

export interface TestSmtp {
  host: string;
  port: number;
  /** For a service's environment: SMTP_URL pointing here. */
  url: string;
  received: ReceivedMail[];
  /** Waits for the first message (arrived or arriving) that matches. */
  next(match?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Everything sent to `address`. */
  to(address: string): ReceivedMail[];
  stop(): Promise<void>;
}

/** A real SMTP server in the test process (port 0), parsing each message with mailparser. */
export async function startTestSmtp(options: { host?: string; port?: number } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw)
          .then((parsed) => {
            received.push({
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              parsed,
              raw,
            });
            callback();
          })
          .catch(callback);
      });
    },
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  const inbox = (address: string) => received.filter((m) => m.rcptTo.includes(address.toLowerCase()));
  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    received,
    next: (match = () => true, timeoutMs = 10_000) => waitFor(() => received.find(match), timeoutMs),
    to: inbox,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail's text part that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const text = mail.parsed.text ?? '';
  const link = text.split(/\s+/).find((w) => w.startsWith(prefix));
  if (!link) throw new Error(`no link starting with ${prefix} in: ${text}`);
  return link;
}
