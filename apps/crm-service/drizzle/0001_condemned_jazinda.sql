CREATE TABLE "crm"."contacts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text,
	"email" text,
	"phone" text,
	"phone_e164" text,
	"title" text,
	"is_primary" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "crm"."contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crm"."import_file_chunks" (
	"job_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"agency_id" uuid NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "import_file_chunks_job_id_seq_pk" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
ALTER TABLE "crm"."import_file_chunks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crm"."import_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"status" text DEFAULT 'uploaded' NOT NULL,
	"file_name" text,
	"file_size" bigint DEFAULT 0 NOT NULL,
	"delimiter" text NOT NULL,
	"columns" jsonb NOT NULL,
	"mapping" jsonb,
	"total" integer DEFAULT 0 NOT NULL,
	"processed" integer DEFAULT 0 NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"updated" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp (3) with time zone,
	"heartbeat_at" timestamp (3) with time zone,
	"finished_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crm"."import_row_errors" (
	"job_id" uuid NOT NULL,
	"row" integer NOT NULL,
	"agency_id" uuid NOT NULL,
	"message" text NOT NULL,
	"values" jsonb NOT NULL,
	CONSTRAINT "import_row_errors_job_id_row_pk" PRIMARY KEY("job_id","row")
);
--> statement-breakpoint
ALTER TABLE "crm"."import_row_errors" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crm"."notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"body" text NOT NULL,
	"is_pinned" boolean DEFAULT false NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "crm"."notes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "contacts_agency_client_idx" ON "crm"."contacts" USING btree ("agency_id","client_id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_agency_name_idx" ON "crm"."contacts" USING btree ("agency_id","last_name","first_name","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_agency_email_idx" ON "crm"."contacts" USING btree ("agency_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "contacts_one_primary_idx" ON "crm"."contacts" USING btree ("client_id") WHERE is_primary and deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_name_trgm_idx" ON "crm"."contacts" USING gin ((coalesce("first_name", '') || ' ' || coalesce("last_name", '')) gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "contacts_email_trgm_idx" ON "crm"."contacts" USING gin ("email" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "import_file_chunks_agency_idx" ON "crm"."import_file_chunks" USING btree ("agency_id","job_id");--> statement-breakpoint
CREATE INDEX "import_jobs_agency_idx" ON "crm"."import_jobs" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "import_jobs_status_idx" ON "crm"."import_jobs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "import_row_errors_agency_idx" ON "crm"."import_row_errors" USING btree ("agency_id","job_id");--> statement-breakpoint
CREATE INDEX "notes_agency_client_idx" ON "crm"."notes" USING btree ("agency_id","client_id","is_pinned","created_at") WHERE deleted_at is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."contacts" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."import_file_chunks" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."import_jobs" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."import_row_errors" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."notes" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));