import { mailJob as kitMailJob, queueMails, type JobRunner, type Mailer, type MailMessage, type TransactionJob, type Tx } from '@atelier/platform';

export const MAIL_JOB = 'identity.mail.send';

/** Identity mail (invitations, password resets) on the kit's mail job (see `libs/platform/src/mail/mail-job.ts`). */
export const mailJob = (mailer: Mailer): TransactionJob<MailMessage> => kitMailJob(mailer, MAIL_JOB);

/** Queues a mail in the caller's tenant transaction; call `jobs.wake()` after it commits. */
export async function queueMail(jobs: JobRunner, tx: Tx, agencyId: string, message: MailMessage): Promise<void> {
  await queueMails(jobs, tx, MAIL_JOB, agencyId, [message]);
}
