import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from 'pino';
import type { MailConfig } from './mail-config.js';
import { addressOfFrom, headerSafe, toEnvelope, type MailAttachmentContent, type MailMessage } from './mail-message.js';

export interface SentMail {
  messageId: string;
  accepted: string[];
}

/**
 * The one way a service sends email: nodemailer over SMTP. `send` makes one attempt; `deliver`
 * runs in the background and retries with back-off while the server is unreachable (a mail is
 * only given up after the last delay), so a short SMTP outage loses nothing.
 */
export class Mailer {
  private readonly transport: Transporter;
  private readonly pending = new Set<Promise<void>>();
  private closed = false;

  constructor(
    private readonly config: MailConfig,
    private readonly logger: Logger,
  ) {
    this.transport = nodemailer.createTransport(
      config.SMTP_URL ?? {
        host: config.SMTP_HOST,
        port: config.SMTP_PORT,
        secure: config.SMTP_SECURE,
        ...(config.SMTP_USER ? { auth: { user: config.SMTP_USER, pass: config.SMTP_PASS ?? '' } } : {}),
      },
    );
  }

  /** One attempt; `attachments` are the bytes of `message.attachments` (the mail job reads them from the blob store). */
  async send(message: MailMessage, attachments: MailAttachmentContent[] = []): Promise<SentMail> {
    const name = message.fromName === undefined ? '' : headerSafe(message.fromName);
    const from = name ? { name, address: addressOfFrom(this.config.MAIL_FROM) } : this.config.MAIL_FROM;
    const info = await this.transport.sendMail({ from, ...toEnvelope(message, attachments) });
    return { messageId: info.messageId, accepted: (info.accepted as (string | { address: string })[]).map((a) => (typeof a === 'string' ? a : a.address)) };
  }

  /** Sends in the background with retries; call after the transaction that decided to send has committed. */
  deliver(message: MailMessage): void {
    const envelope = toEnvelope(message); // refuse a bad address now, in the caller, not in the background
    const job = this.retrying(message, envelope.to.address).finally(() => this.pending.delete(job));
    this.pending.add(job);
  }

  private async retrying(message: MailMessage, to: string): Promise<void> {
    const delays = this.config.MAIL_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.send(message);
        return;
      } catch (err) {
        const delay = delays[attempt];
        if (delay === undefined || this.closed) {
          this.logger.error({ err: (err as Error).message, to, subject: message.subject, attempts: attempt + 1 }, 'mail: giving up');
          return;
        }
        this.logger.warn({ err: (err as Error).message, to, attempt: attempt + 1, retryInMs: delay }, 'mail: send failed; will retry');
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  /** Resolves when every background delivery has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Waits up to `graceMs` for deliveries in flight, then closes the transport. */
  async close(graceMs = 5_000): Promise<void> {
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([this.idle(), timeout]);
    this.closed = true;
    this.transport.close();
  }
}

export const createMailer = (config: MailConfig, logger: Logger) => new Mailer(config, logger);
