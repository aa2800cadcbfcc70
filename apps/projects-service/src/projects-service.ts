import type { Logger } from 'pino';
import { createMailer, createService, mailJob, type JobRunnerOptions } from '@atelier/platform';
import { agencyReplicaConsumer } from './agency/agency-replica-consumer.js';
import { projectAttachmentRoutes } from './attachments/attachment-routes.js';
import { projectAttachments, projectAttachmentUsage, projectBlobReferences } from './attachments/attachment-service.js';
import { billingLifecycleConsumer } from './billing-lifecycle/billing-lifecycle-consumer.js';
import { PROJECTS_MAIL_JOB } from './budgets/budget-service.js';
import { projectStatsRoutes } from './budgets/project-stats-routes.js';
import { clientReplicaConsumer } from './client-replica/client-replica-consumer.js';
import type { ProjectsConfig } from './config.js';
import { memberReplicaConsumer } from './members/member-replica-consumer.js';
import { projectRoutes } from './projects/project-routes.js';
import { rateCardRoutes } from './rates/rate-card-routes.js';
import { reportRoutes } from './reports/report-routes.js';
import { timeSettingsRoutes } from './settings/time-settings-routes.js';
import { taskRoutes } from './tasks/task-routes.js';
import { timeEntryRoutes } from './time-entries/time-entry-routes.js';
import { timerRoutes } from './timers/timer-routes.js';

export const buildProjectsService = (config: ProjectsConfig, options: { logger?: Logger; blobs?: { graceMs?: number }; jobRunner?: Partial<JobRunnerOptions> } = {}) =>
  createService(
    'projects',
    config,
    ({ database, jobs, logger, blobs }) => {
      // Budget mail to the managers goes out through the kit's mail job (written with the crossing).
      const mailer = createMailer(config, logger);
      const time = { db: database.db, jobs };
      const attachments = projectAttachments(blobs, config);
      return {
        publishes: true,
        routes: (app) => {
          app.use(projectRoutes(database.db, attachments));
          app.use(taskRoutes(database.db, attachments));
          app.use(projectAttachmentRoutes(database.db, attachments));
          app.use(reportRoutes(database.db));
          app.use(timeEntryRoutes(time));
          app.use(timerRoutes(time));
          app.use(timeSettingsRoutes(database.db));
          app.use(rateCardRoutes(time));
          app.use(projectStatsRoutes(database.db));
        },
        consumers: [clientReplicaConsumer(), memberReplicaConsumer(), agencyReplicaConsumer(), billingLifecycleConsumer(), projectAttachmentUsage.consumer()],
        jobs: [mailJob(mailer, PROJECTS_MAIL_JOB)],
        workers: [{ start: () => {}, stop: () => mailer.close() }],
        blobs: { ...projectBlobReferences, ...options.blobs },
        jobRunner: options.jobRunner,
      };
    },
    options.logger,
  );
