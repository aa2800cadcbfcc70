import type { BudgetThresholdCrossedPayload } from '@atelier/contracts';
import { hoursOf } from '@atelier/money';
import { queueMails, writeEvents, type EventToWrite, type JobRunner, type MailMessage, type Tx } from '@atelier/platform';
import { outbox } from '../db/schema.js';
import { atScale } from '../time-entries/entry-pricing.js';
import type { ProjectRef } from '../time-entries/time-entry-repository.js';
import { insertCrossings, selectBudgetRecipients, selectCrossings, selectProjectUsage } from './budget-repository.js';
import { newCrossings, usedPercentByKind, type BudgetUsage } from './thresholds.js';

export const PROJECTS_MAIL_JOB = 'projects.mail.send';

/** The actor and the job runner a use case announces crossings with. */
export interface BudgetContext {
  agencyId: string;
  actorId: string | null;
  jobs: JobRunner;
}

export const budgetUsage = (p: ProjectRef, used: { usedMinutes: number; amountUsed: string }): BudgetUsage => ({
  budgetHours: p.budgetHours,
  budgetAmount: p.budgetAmount,
  usedMinutes: used.usedMinutes,
  amountUsed: used.amountUsed,
});

/** "Budget of Website Redesign 80 % used" (money), "Hours budget of …" (hours): the timeline's words, in the managers' inbox too. */
export const crossingHeadline = (projectName: string, kind: 'hours' | 'money', threshold: number) =>
  `${kind === 'hours' ? 'Hours budget' : 'Budget'} of ${projectName} ${threshold} % used`;

function crossingMail(to: { name: string; email: string }, p: BudgetThresholdCrossedPayload): MailMessage {
  const unit = p.kind === 'hours' ? 'h' : p.currency;
  const subject = crossingHeadline(p.projectName, p.kind, p.threshold);
  return {
    to: { name: to.name, address: to.email },
    subject,
    text: `${subject}: ${p.used} of ${p.budget} ${unit} (${p.usedPercent} %).\n\nYou receive this as a manager of the agency.`,
  };
}

/**
 * After a change to the projects' time, announces each budget threshold newly reached: one
 * `projects.budget.threshold_crossed.v1` and a mail to the agency's managers per threshold,
 * recorded in `budget_thresholds_crossed` so that it is never announced again. The caller holds
 * the projects' locks (`lockProjects`), so the sums here see every entry committed before and
 * two writers cannot both miss, or both announce, a threshold. Returns whether mail was queued
 * (wake the runner after commit).
 */
export async function announceCrossings(tx: Tx, ctx: BudgetContext, projects: ProjectRef[], now: Date): Promise<boolean> {
  const events: EventToWrite<'projects.budget.threshold_crossed.v1'>[] = [];
  for (const p of projects) {
    if (p.budgetHours === null && p.budgetAmount === null) continue;
    const [used, announced] = await Promise.all([selectProjectUsage(tx, p.id, p.currency), selectCrossings(tx, p.id)]);
    const usage = budgetUsage(p, used);
    const fresh = await insertCrossings(tx, ctx.agencyId, p.id, newCrossings(usage, announced));
    const percent = usedPercentByKind(usage);
    for (const c of fresh) {
      const hours = c.kind === 'hours';
      events.push({
        name: 'projects.budget.threshold_crossed.v1',
        agencyId: ctx.agencyId,
        actorId: ctx.actorId,
        payload: {
          clientId: p.clientId,
          projectId: p.id,
          projectName: p.name,
          kind: c.kind,
          threshold: c.threshold,
          usedPercent: percent[c.kind] ?? '0',
          budget: hours ? (p.budgetHours ?? '0') : atScale(p.budgetAmount ?? '0', p.currency),
          used: hours ? hoursOf(used.usedMinutes) : atScale(used.amountUsed, p.currency),
          currency: p.currency,
          crossedAt: (c.crossedAt ?? now).toISOString(),
        },
      });
    }
  }
  if (events.length === 0) return false;
  await writeEvents(tx, outbox, events);
  const recipients = (await selectBudgetRecipients(tx)).flatMap((m) => (m.email ? [{ name: m.name, email: m.email }] : []));
  const mails = events.flatMap((e) => recipients.map((r) => crossingMail(r, e.payload)));
  await queueMails(ctx.jobs, tx, PROJECTS_MAIL_JOB, ctx.agencyId, mails);
  return mails.length > 0;
}
