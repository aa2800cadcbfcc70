CREATE TABLE "projects"."invoice_states" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"version" bigint NOT NULL,
	"status" text NOT NULL,
	"number" text,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invoice_states_status_check" CHECK (status = ANY (ARRAY['draft'::text, 'issued'::text, 'void'::text, 'deleted'::text]))
);
--> statement-breakpoint
ALTER TABLE "projects"."invoice_states" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "invoice_states_agency_idx" ON "projects"."invoice_states" USING btree ("agency_id","id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."invoice_states" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));