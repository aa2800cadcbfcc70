CREATE TABLE "identity"."inbox" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
ALTER TABLE "identity"."inbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "identity"."job_schedule_runs" (
	"schedule" text NOT NULL,
	"slot" timestamp (3) with time zone NOT NULL,
	"job_id" uuid NOT NULL,
	"fired_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "job_schedule_runs_schedule_slot_pk" PRIMARY KEY("schedule","slot")
);
--> statement-breakpoint
CREATE TABLE "identity"."jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid,
	"name" text NOT NULL,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"run_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"locked_by" text,
	"locked_until" timestamp (3) with time zone,
	"last_error" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "identity"."jobs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "inbox_agency_idx" ON "identity"."inbox" USING btree ("agency_id","processed_at");--> statement-breakpoint
CREATE INDEX "job_schedule_runs_fired_idx" ON "identity"."job_schedule_runs" USING btree ("fired_at");--> statement-breakpoint
CREATE INDEX "jobs_agency_idx" ON "identity"."jobs" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "identity"."jobs" USING btree ("run_at") WHERE status = 'queued';--> statement-breakpoint
CREATE INDEX "jobs_lease_idx" ON "identity"."jobs" USING btree ("locked_until") WHERE status = 'running';--> statement-breakpoint
CREATE INDEX "jobs_finished_idx" ON "identity"."jobs" USING btree ("finished_at") WHERE status in ('completed', 'failed');--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "identity"."inbox" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "identity"."jobs" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));