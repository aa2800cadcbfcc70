ALTER TABLE "crm"."import_jobs" DROP COLUMN "heartbeat_at";--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" DROP COLUMN "worker";--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" DROP COLUMN "attempts";
--> statement-breakpoint
-- The kit's job runner claims imports now (crm.jobs, crm.job_claim); the import's own claim is gone.
DROP FUNCTION IF EXISTS crm.import_job_claim(text, interval);
--> statement-breakpoint
-- Imports committed or running when this deploys become kit jobs, so they are resumed, not lost.
INSERT INTO crm.jobs (id, agency_id, name, max_attempts)
SELECT id, agency_id, 'crm.import', 3 FROM crm.import_jobs WHERE status IN ('queued', 'running')
ON CONFLICT (id) DO NOTHING;
