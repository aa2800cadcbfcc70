CREATE TABLE "billing"."contacts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text,
	"email" text,
	"phone" text,
	"title" text,
	"is_primary" boolean NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing"."contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "contacts_agency_client_idx" ON "billing"."contacts" USING btree ("agency_id","client_id") WHERE deleted_at is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."contacts" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));