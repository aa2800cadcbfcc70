CREATE TABLE "projects"."agencies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"currency" char(3) NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "projects"."agencies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."budget_thresholds_crossed" (
	"agency_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"threshold" smallint NOT NULL,
	"crossed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "budget_thresholds_crossed_pk" PRIMARY KEY("agency_id","project_id","kind","threshold"),
	CONSTRAINT "budget_thresholds_kind_check" CHECK (kind = ANY (ARRAY['hours'::text, 'money'::text])),
	CONSTRAINT "budget_thresholds_threshold_check" CHECK (threshold in (50, 80, 100))
);
--> statement-breakpoint
ALTER TABLE "projects"."budget_thresholds_crossed" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."members" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"role" text,
	"removed" boolean DEFAULT false NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "projects"."members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."projects" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'active' NOT NULL,
	"start_date" date,
	"due_date" date,
	"budget_hours" numeric(9, 2),
	"budget_amount" numeric(19, 4),
	"currency" char(3) NOT NULL,
	"is_billable" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "projects_status_check" CHECK (status = ANY (ARRAY['active'::text, 'on_hold'::text, 'completed'::text, 'cancelled'::text])),
	CONSTRAINT "projects_dates_in_order" CHECK (start_date is null or due_date is null or due_date >= start_date),
	CONSTRAINT "projects_budgets_not_negative" CHECK (coalesce(budget_hours, 0) >= 0 and coalesce(budget_amount, 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "projects"."projects" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."rate_cards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"client_id" uuid,
	"project_id" uuid,
	"user_id" uuid,
	"amount" numeric(19, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"effective_from" date NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rate_cards_target_day_key" UNIQUE NULLS NOT DISTINCT("agency_id","scope","client_id","project_id","user_id","effective_from"),
	CONSTRAINT "rate_cards_scope_check" CHECK (scope = ANY (ARRAY['agency'::text, 'member'::text, 'client'::text, 'project'::text, 'project_member'::text])),
	CONSTRAINT "rate_cards_scope_targets" CHECK ((client_id is not null) = (scope = 'client') and (project_id is not null) = (scope in ('project', 'project_member')) and (user_id is not null) = (scope in ('member', 'project_member'))),
	CONSTRAINT "rate_cards_amount_not_negative" CHECK (amount >= 0)
);
--> statement-breakpoint
ALTER TABLE "projects"."rate_cards" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'todo' NOT NULL,
	"priority" text DEFAULT 'medium' NOT NULL,
	"assignee_id" uuid,
	"due_date" date,
	"estimated_hours" numeric(9, 2),
	"sort_order" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "tasks_status_check" CHECK (status = ANY (ARRAY['todo'::text, 'in_progress'::text, 'blocked'::text, 'done'::text])),
	CONSTRAINT "tasks_priority_check" CHECK (priority = ANY (ARRAY['low'::text, 'medium'::text, 'high'::text, 'urgent'::text])),
	CONSTRAINT "tasks_live_has_position" CHECK (deleted_at is not null or sort_order is not null),
	CONSTRAINT "tasks_estimate_not_negative" CHECK (coalesce(estimated_hours, 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "projects"."tasks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."time_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"task_id" uuid,
	"user_id" uuid NOT NULL,
	"date" date NOT NULL,
	"minutes" integer NOT NULL,
	"rounded_minutes" integer NOT NULL,
	"started_at" timestamp (3) with time zone,
	"ended_at" timestamp (3) with time zone,
	"description" text,
	"is_billable" boolean NOT NULL,
	"hourly_rate" numeric(19, 4),
	"rate_source" text,
	"rate_card_id" uuid,
	"currency" char(3) NOT NULL,
	"amount" numeric(19, 4) DEFAULT '0' NOT NULL,
	"billing_status" text DEFAULT 'unbilled' NOT NULL,
	"invoice_id" uuid,
	"invoice_number" text,
	"invoice_version" bigint,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "time_entries_billing_status_check" CHECK (billing_status = ANY (ARRAY['unbilled'::text, 'reserved'::text, 'billed'::text])),
	CONSTRAINT "time_entries_rate_source_check" CHECK (rate_source is null or rate_source = ANY (ARRAY['agency'::text, 'member'::text, 'client'::text, 'project'::text, 'project_member'::text])),
	CONSTRAINT "time_entries_invoice_when_invoiced" CHECK ((invoice_id is null) = (billing_status = 'unbilled')),
	CONSTRAINT "time_entries_minutes_not_negative" CHECK (minutes >= 0 and rounded_minutes >= 0),
	CONSTRAINT "time_entries_interval_order" CHECK (ended_at is null or (started_at is not null and ended_at > started_at))
);
--> statement-breakpoint
ALTER TABLE "projects"."time_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."time_settings" (
	"agency_id" uuid PRIMARY KEY NOT NULL,
	"rounding_mode" text NOT NULL,
	"rounding_minutes" smallint NOT NULL,
	"week_starts_on" smallint NOT NULL,
	"default_billable" boolean NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "time_settings_rounding_mode_check" CHECK (rounding_mode = ANY (ARRAY['none'::text, 'up'::text, 'down'::text, 'nearest'::text])),
	CONSTRAINT "time_settings_rounding_minutes_check" CHECK (rounding_minutes in (1, 5, 6, 10, 15, 30, 60)),
	CONSTRAINT "time_settings_week_start_check" CHECK (week_starts_on in (1, 2, 3, 4, 5, 6, 7))
);
--> statement-breakpoint
ALTER TABLE "projects"."time_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "projects"."budget_thresholds_crossed" ADD CONSTRAINT "budget_thresholds_crossed_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects"."projects" ADD CONSTRAINT "projects_client_fk" FOREIGN KEY ("client_id") REFERENCES "projects"."clients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects"."rate_cards" ADD CONSTRAINT "rate_cards_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects"."tasks" ADD CONSTRAINT "tasks_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects"."time_entries" ADD CONSTRAINT "time_entries_project_fk" FOREIGN KEY ("project_id") REFERENCES "projects"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects"."time_entries" ADD CONSTRAINT "time_entries_task_fk" FOREIGN KEY ("task_id") REFERENCES "projects"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects"."time_entries" ADD CONSTRAINT "time_entries_rate_card_fk" FOREIGN KEY ("rate_card_id") REFERENCES "projects"."rate_cards"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agencies_agency_idx" ON "projects"."agencies" USING btree ("agency_id");--> statement-breakpoint
CREATE UNIQUE INDEX "members_agency_user_idx" ON "projects"."members" USING btree ("agency_id","user_id");--> statement-breakpoint
CREATE INDEX "projects_agency_name_idx" ON "projects"."projects" USING btree ("agency_id","name","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "projects_agency_created_idx" ON "projects"."projects" USING btree ("agency_id","created_at","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "projects_agency_client_idx" ON "projects"."projects" USING btree ("agency_id","client_id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "rate_cards_agency_project_idx" ON "projects"."rate_cards" USING btree ("agency_id","project_id","user_id","effective_from");--> statement-breakpoint
CREATE INDEX "tasks_agency_board_idx" ON "projects"."tasks" USING btree ("agency_id","project_id","status","sort_order") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "tasks_agency_assignee_idx" ON "projects"."tasks" USING btree ("agency_id","assignee_id") WHERE deleted_at is null;--> statement-breakpoint
CREATE UNIQUE INDEX "time_entries_one_running_timer" ON "projects"."time_entries" USING btree ("agency_id","user_id") WHERE started_at is not null and ended_at is null and deleted_at is null;--> statement-breakpoint
CREATE INDEX "time_entries_agency_user_date_idx" ON "projects"."time_entries" USING btree ("agency_id","user_id","date") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "time_entries_agency_project_date_idx" ON "projects"."time_entries" USING btree ("agency_id","project_id","date") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "time_entries_agency_task_idx" ON "projects"."time_entries" USING btree ("agency_id","task_id") WHERE deleted_at is null and task_id is not null;--> statement-breakpoint
CREATE INDEX "time_entries_agency_invoice_idx" ON "projects"."time_entries" USING btree ("agency_id","invoice_id") WHERE invoice_id is not null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."agencies" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."budget_thresholds_crossed" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."members" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."projects" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."rate_cards" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."tasks" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."time_entries" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."time_settings" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
-- Deferred to commit, so a reorder rewrites a whole column in one statement; drizzle cannot declare a deferrable constraint (see tasks in schema.ts).
ALTER TABLE "projects"."tasks" ADD CONSTRAINT "tasks_column_position_key" UNIQUE ("project_id","status","sort_order") DEFERRABLE INITIALLY DEFERRED;