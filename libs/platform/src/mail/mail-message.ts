import { z } from 'zod';

export interface MailAddress {
  name?: string;
  address: string;
}

/**
 * A file sent with a mail: a blob of the job's agency (the kit blob store), read when the mail
 * goes out, so a queued mail holds an id and not the bytes. The blob must stay referenced until
 * then (the caller's row names it).
 */
export interface MailAttachment {
  filename: string;
  contentType: string;
  blobId: string;
}

export interface MailMessage {
  to: string | MailAddress;
  cc?: (string | MailAddress)[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string | MailAddress;
  /** The display name of the From header (the address stays MAIL_FROM's: the server is allowed to send for it). */
  fromName?: string;
  attachments?: MailAttachment[];
}

/** An attachment's bytes, as `Mailer.send` takes them. */
export interface MailAttachmentContent {
  filename: string;
  contentType: string;
  content: Buffer;
}

const Address = z.email().max(254);

/** Display names and subjects are single header lines: any CR, LF or other control character becomes a space. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const headerSafe = (value: string) => value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();

export class InvalidMailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidMailError';
  }
}

function address(value: string | MailAddress, field: string): MailAddress {
  const a = typeof value === 'string' ? { address: value } : value;
  // An address with a line break (`a@b.test\r\nBcc: c@d.test`) is refused outright, never "cleaned".
  if (!Address.safeParse(a.address).success) throw new InvalidMailError(`${field} is not a single valid email address`);
  return a.name === undefined ? { address: a.address } : { name: headerSafe(a.name), address: a.address };
}

/** The address of a From setting such as `Atelier <no-reply@atelier.localhost>` (or a bare address). */
export const addressOfFrom = (from: string): string => (/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim();

/** What nodemailer receives: every header value checked or neutralised, so no input can add a header or a recipient. */
export function toEnvelope(message: MailMessage, attachments: MailAttachmentContent[] = []) {
  const cc = (message.cc ?? []).map((c, i) => address(c, `cc.${i}`));
  return {
    to: address(message.to, 'to'),
    ...(cc.length > 0 ? { cc } : {}),
    ...(message.replyTo ? { replyTo: address(message.replyTo, 'replyTo') } : {}),
    subject: headerSafe(message.subject),
    text: message.text,
    ...(message.html !== undefined ? { html: message.html } : {}),
    ...(attachments.length > 0
      ? { attachments: attachments.map((a) => ({ filename: headerSafe(a.filename).replace(/["\\/]/g, '_') || 'attachment', contentType: headerSafe(a.contentType), content: a.content })) }
      : {}),
  };
}

/** Escapes text for an HTML mail body. */
export const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
