import { z } from 'zod';
import type { BlobStore } from '../blobs/blob-store.js';
import type { Tx } from '../db/database.js';
import { PermanentJobError, type TransactionJob } from '../jobs/job-definitions.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { Mailer } from './mailer.js';
import type { MailAttachmentContent, MailMessage } from './mail-message.js';

const Address = z.union([z.string(), z.object({ name: z.string().optional(), address: z.string() })]);
const Attachment = z.object({ filename: z.string(), contentType: z.string(), blobId: z.uuid() });
const MailPayload = z.object({
  to: Address,
  cc: z.array(Address).optional(),
  subject: z.string(),
  text: z.string(),
  html: z.string().optional(),
  replyTo: Address.optional(),
  fromName: z.string().optional(),
  attachments: z.array(Attachment).optional(),
});

/**
 * Mail a use case decides to send goes out through the kit's job runner: the job is written in
 * the transaction that decided to send, so a mail is never lost, and an SMTP outage only delays
 * it (retried with back-off; `failed` with the error after the last attempt). A mail whose
 * transaction committed but whose job crashed after SMTP accepted it may go out twice; never
 * zero times. Each service names its own job (`identity.mail.send`, `projects.mail.send`).
 */
export const mailJob = (mailer: Mailer, name: string, options: { blobs?: BlobStore } = {}): TransactionJob<MailMessage> => ({
  name,
  payload: MailPayload,
  maxAttempts: 12,
  backoff: { baseMs: 1_000, maxMs: 15 * 60_000 },
  async run(_tx, job) {
    await mailer.send(job.payload, await attachmentsOf(job.payload, job.agencyId, options.blobs));
  },
});

/** Attachments are blobs of the job's agency, read when the mail goes out; one that is gone never comes back (no retry). */
async function attachmentsOf(message: MailMessage, agencyId: string | null, blobs: BlobStore | undefined): Promise<MailAttachmentContent[]> {
  const wanted = message.attachments ?? [];
  if (wanted.length === 0) return [];
  if (!blobs || !agencyId) throw new PermanentJobError('mail: attachments need the blob store and an agency (mailJob(mailer, name, { blobs }))');
  const out: MailAttachmentContent[] = [];
  for (const a of wanted) {
    const blob = await blobs.get(agencyId, a.blobId);
    if (!blob) throw new PermanentJobError(`mail: attachment ${a.filename} (blob ${a.blobId}) is not stored`);
    const chunks: Buffer[] = [];
    for await (const chunk of blob.body) chunks.push(chunk as Buffer);
    out.push({ filename: a.filename, contentType: a.contentType, content: Buffer.concat(chunks) });
  }
  return out;
}

/** Queues mails in the caller's tenant transaction, one job each; call `jobs.wake()` after it commits. */
export async function queueMails(jobs: JobRunner, tx: Tx, name: string, agencyId: string, messages: MailMessage[]): Promise<void> {
  for (const message of messages) await jobs.enqueue(tx, { name, agencyId, payload: message });
}
