CREATE TABLE "projects"."attachment_usage" (
	"agency_id" uuid NOT NULL,
	"owner" text NOT NULL,
	"bytes" bigint NOT NULL,
	"version" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachment_usage_agency_id_owner_pk" PRIMARY KEY("agency_id","owner")
);
--> statement-breakpoint
ALTER TABLE "projects"."attachment_usage" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."attachment_usage" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));