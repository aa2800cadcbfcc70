CREATE TABLE "billing"."agencies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"timezone" text NOT NULL,
	"currency" char(3) NOT NULL,
	"email" text,
	"phone" text,
	"website" text,
	"address" text,
	"country" char(2),
	"tax_id" text,
	"logo" text,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing"."agencies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."blob_chunks" (
	"blob_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"agency_id" uuid NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "blob_chunks_blob_id_seq_pk" PRIMARY KEY("blob_id","seq")
);
--> statement-breakpoint
ALTER TABLE "billing"."blob_chunks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."blobs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"status" text DEFAULT 'writing' NOT NULL,
	"backend" text NOT NULL,
	"size" bigint,
	"sha256" text,
	"content_type" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"stored_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "billing"."blobs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoice_documents" (
	"invoice_id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"blob_id" uuid NOT NULL,
	"sha256" char(64) NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_documents_size_positive" CHECK (size > 0)
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoice_line_time_entries" (
	"agency_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"time_entry_id" uuid NOT NULL,
	"entry_version" integer NOT NULL,
	"rounded_minutes" integer NOT NULL,
	"hourly_rate" numeric(19, 4),
	"amount" numeric(19, 4) NOT NULL,
	"reserved_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp (3) with time zone,
	CONSTRAINT "invoice_line_time_entries_pk" PRIMARY KEY("line_id","time_entry_id"),
	CONSTRAINT "invoice_line_time_entries_minutes_not_negative" CHECK (rounded_minutes >= 0)
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_line_time_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoice_lines" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"description" text NOT NULL,
	"quantity" numeric(14, 3) NOT NULL,
	"unit_price" numeric(19, 4) NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"tax_rate" numeric(7, 4),
	"sort_order" integer NOT NULL,
	CONSTRAINT "invoice_lines_tax_rate_range" CHECK (tax_rate is null or (tax_rate >= 0 and tax_rate < 100)),
	CONSTRAINT "invoice_lines_sort_order_not_negative" CHECK (sort_order >= 0)
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_lines" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoice_number_counters" (
	"agency_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"last_value" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "invoice_number_counters_pk" PRIMARY KEY("agency_id","year"),
	CONSTRAINT "invoice_number_counters_not_negative" CHECK (last_value >= 0)
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_number_counters" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoice_payments" (
	"payment_id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"amount_refunded" numeric(19, 4) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"method" text,
	"paid_on" date,
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_payments_status_check" CHECK (status = ANY (ARRAY['pending'::text, 'succeeded'::text, 'failed'::text, 'refunded'::text, 'partially_refunded'::text])),
	CONSTRAINT "invoice_payments_amounts" CHECK (amount >= 0 and amount_refunded >= 0 and amount_refunded <= amount)
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoice_reminders" (
	"agency_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"reminder_day" smallint NOT NULL,
	"sent_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_reminders_pk" PRIMARY KEY("invoice_id","reminder_day"),
	CONSTRAINT "invoice_reminders_day_positive" CHECK (reminder_day > 0)
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_reminders" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoice_status_history" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"status" text NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"actor_id" uuid,
	CONSTRAINT "invoice_status_history_status_check" CHECK (status = ANY (ARRAY['draft'::text, 'sent'::text, 'viewed'::text, 'partially_paid'::text, 'paid'::text, 'overdue'::text, 'void'::text]))
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_status_history" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"project_id" uuid,
	"number" text,
	"number_year" smallint,
	"number_seq" integer,
	"status" text DEFAULT 'draft' NOT NULL,
	"issue_date" date,
	"due_date" date,
	"currency" char(3) NOT NULL,
	"discount_type" text,
	"discount_value" numeric(19, 4),
	"tax_rate" numeric(7, 4),
	"taxes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"rounding" text DEFAULT 'document' NOT NULL,
	"subtotal" numeric(19, 4) DEFAULT '0' NOT NULL,
	"discount_amount" numeric(19, 4) DEFAULT '0' NOT NULL,
	"tax_amount" numeric(19, 4) DEFAULT '0' NOT NULL,
	"tax_lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"total" numeric(19, 4) DEFAULT '0' NOT NULL,
	"amount_paid" numeric(19, 4) DEFAULT '0' NOT NULL,
	"amount_due" numeric(19, 4) DEFAULT '0' NOT NULL,
	"notes" text,
	"terms" text,
	"bill_to" jsonb,
	"public_token_hash" "bytea",
	"sent_at" timestamp (3) with time zone,
	"viewed_at" timestamp (3) with time zone,
	"overdue_at" timestamp (3) with time zone,
	"paid_at" timestamp (3) with time zone,
	"voided_at" timestamp (3) with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoices_status_check" CHECK (status = ANY (ARRAY['draft'::text, 'sent'::text, 'viewed'::text, 'partially_paid'::text, 'paid'::text, 'overdue'::text, 'void'::text])),
	CONSTRAINT "invoices_discount_type_check" CHECK (discount_type is null or discount_type = ANY (ARRAY['amount'::text, 'percent'::text])),
	CONSTRAINT "invoices_discount_whole" CHECK ((discount_type is null) = (discount_value is null)),
	CONSTRAINT "invoices_discount_not_negative" CHECK (coalesce(discount_value, 0) >= 0 and (discount_type is distinct from 'percent' or discount_value <= 100)),
	CONSTRAINT "invoices_rounding_check" CHECK (rounding = ANY (ARRAY['line'::text, 'document'::text])),
	CONSTRAINT "invoices_tax_rate_range" CHECK (tax_rate is null or (tax_rate >= 0 and tax_rate < 100)),
	CONSTRAINT "invoices_taxes_at_most_two" CHECK (jsonb_typeof(taxes) = 'array' and jsonb_array_length(taxes) <= 2),
	CONSTRAINT "invoices_number_once_issued" CHECK ((status = 'draft') = (number is null) and (number is null) = (number_seq is null) and (number_seq is null) = (number_year is null)),
	CONSTRAINT "invoices_issued_has_date" CHECK (status = 'draft' or issue_date is not null),
	CONSTRAINT "invoices_dates_in_order" CHECK (issue_date is null or due_date is null or due_date >= issue_date),
	CONSTRAINT "invoices_amount_due" CHECK (amount_due = total - amount_paid and amount_paid >= 0),
	CONSTRAINT "invoices_public_token_length" CHECK (public_token_hash is null or octet_length(public_token_hash) = 32),
	CONSTRAINT "invoices_void_when_voided" CHECK ((status = 'void') = (voided_at is not null))
);
--> statement-breakpoint
ALTER TABLE "billing"."invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."invoicing_settings" (
	"agency_id" uuid PRIMARY KEY NOT NULL,
	"number_format" text DEFAULT 'INV-{YYYY}-{SEQ:4}' NOT NULL,
	"default_due_days" smallint DEFAULT 30 NOT NULL,
	"default_tax_rate" numeric(7, 4),
	"default_terms" text,
	"default_notes" text,
	"rounding" text DEFAULT 'document' NOT NULL,
	"reminder_days" smallint[] DEFAULT '{7,14}'::smallint[] NOT NULL,
	"from_name" text,
	"reply_to" text,
	"footer" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoicing_settings_rounding_check" CHECK (rounding = ANY (ARRAY['line'::text, 'document'::text])),
	CONSTRAINT "invoicing_settings_due_days_range" CHECK (default_due_days between 0 and 365),
	CONSTRAINT "invoicing_settings_tax_rate_range" CHECK (default_tax_rate is null or (default_tax_rate >= 0 and default_tax_rate < 100))
);
--> statement-breakpoint
ALTER TABLE "billing"."invoicing_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."members" (
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
ALTER TABLE "billing"."members" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."projects" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"name" text NOT NULL,
	"status" text,
	"currency" char(3),
	"is_billable" boolean DEFAULT true NOT NULL,
	"hourly_rate" numeric(19, 4),
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "projects_live_has_currency" CHECK (deleted_at is not null or currency is not null)
);
--> statement-breakpoint
ALTER TABLE "billing"."projects" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."tasks" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"title" text NOT NULL,
	"status" text,
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "billing"."tasks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "billing"."time_entries" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"project_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"task_id" uuid,
	"user_id" uuid,
	"date" date,
	"minutes" integer,
	"rounded_minutes" integer,
	"description" text,
	"is_billable" boolean,
	"hourly_rate" numeric(19, 4),
	"rate_source" text,
	"currency" char(3),
	"amount" numeric(19, 4),
	"billing_status" text,
	"invoice_id" uuid,
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	CONSTRAINT "time_entries_live_is_complete" CHECK (deleted_at is not null or (user_id is not null and date is not null and minutes is not null and rounded_minutes is not null and is_billable is not null and currency is not null and amount is not null and billing_status is not null)),
	CONSTRAINT "time_entries_billing_status_check" CHECK (billing_status is null or billing_status = ANY (ARRAY['unbilled'::text, 'reserved'::text, 'billed'::text])),
	CONSTRAINT "time_entries_minutes_not_negative" CHECK (coalesce(minutes, 0) >= 0 and coalesce(rounded_minutes, 0) >= 0)
);
--> statement-breakpoint
ALTER TABLE "billing"."time_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "billing"."invoice_documents" ADD CONSTRAINT "invoice_documents_invoice_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_line_time_entries" ADD CONSTRAINT "invoice_line_time_entries_line_fk" FOREIGN KEY ("line_id") REFERENCES "billing"."invoice_lines"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_line_time_entries" ADD CONSTRAINT "invoice_line_time_entries_invoice_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_lines" ADD CONSTRAINT "invoice_lines_invoice_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_payments" ADD CONSTRAINT "invoice_payments_invoice_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_reminders" ADD CONSTRAINT "invoice_reminders_invoice_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing"."invoice_status_history" ADD CONSTRAINT "invoice_status_history_invoice_fk" FOREIGN KEY ("invoice_id") REFERENCES "billing"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agencies_agency_idx" ON "billing"."agencies" USING btree ("agency_id");--> statement-breakpoint
CREATE INDEX "blob_chunks_agency_idx" ON "billing"."blob_chunks" USING btree ("agency_id","blob_id");--> statement-breakpoint
CREATE INDEX "blobs_agency_created_idx" ON "billing"."blobs" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE INDEX "invoice_documents_agency_idx" ON "billing"."invoice_documents" USING btree ("agency_id","invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_line_time_entries_live_key" ON "billing"."invoice_line_time_entries" USING btree ("agency_id","time_entry_id") WHERE released_at is null;--> statement-breakpoint
CREATE INDEX "invoice_line_time_entries_agency_invoice_idx" ON "billing"."invoice_line_time_entries" USING btree ("agency_id","invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_lines_agency_invoice_idx" ON "billing"."invoice_lines" USING btree ("agency_id","invoice_id","sort_order");--> statement-breakpoint
CREATE INDEX "invoice_payments_agency_invoice_idx" ON "billing"."invoice_payments" USING btree ("agency_id","invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_reminders_agency_invoice_idx" ON "billing"."invoice_reminders" USING btree ("agency_id","invoice_id");--> statement-breakpoint
CREATE INDEX "invoice_status_history_agency_invoice_idx" ON "billing"."invoice_status_history" USING btree ("agency_id","invoice_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_agency_number_key" ON "billing"."invoices" USING btree ("agency_id","number") WHERE number is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_agency_year_seq_key" ON "billing"."invoices" USING btree ("agency_id","number_year","number_seq") WHERE number_seq is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_public_token_key" ON "billing"."invoices" USING btree ("public_token_hash") WHERE public_token_hash is not null;--> statement-breakpoint
CREATE INDEX "invoices_agency_created_idx" ON "billing"."invoices" USING btree ("agency_id","created_at","id");--> statement-breakpoint
CREATE INDEX "invoices_agency_issue_idx" ON "billing"."invoices" USING btree ("agency_id","issue_date","id");--> statement-breakpoint
CREATE INDEX "invoices_agency_status_due_idx" ON "billing"."invoices" USING btree ("agency_id","status","due_date");--> statement-breakpoint
CREATE INDEX "invoices_agency_client_idx" ON "billing"."invoices" USING btree ("agency_id","client_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_agency_project_idx" ON "billing"."invoices" USING btree ("agency_id","project_id") WHERE project_id is not null;--> statement-breakpoint
CREATE INDEX "invoices_open_due_idx" ON "billing"."invoices" USING btree ("agency_id","due_date") WHERE status in ('sent', 'viewed', 'partially_paid');--> statement-breakpoint
CREATE UNIQUE INDEX "members_agency_user_idx" ON "billing"."members" USING btree ("agency_id","user_id");--> statement-breakpoint
CREATE INDEX "projects_agency_client_idx" ON "billing"."projects" USING btree ("agency_id","client_id","name") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "tasks_agency_project_idx" ON "billing"."tasks" USING btree ("agency_id","project_id");--> statement-breakpoint
CREATE INDEX "time_entries_agency_unbilled_idx" ON "billing"."time_entries" USING btree ("agency_id","project_id","date") WHERE deleted_at is null and is_billable and billing_status = 'unbilled';--> statement-breakpoint
CREATE INDEX "time_entries_agency_client_idx" ON "billing"."time_entries" USING btree ("agency_id","client_id") WHERE deleted_at is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."agencies" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."blob_chunks" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."blobs" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_documents" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_line_time_entries" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_lines" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_number_counters" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_payments" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_reminders" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_status_history" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoices" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoicing_settings" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."members" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."projects" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."tasks" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."time_entries" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "billing"."blob_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
