CREATE TABLE "crm"."member_names" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"name" text NOT NULL,
	"version" bigint NOT NULL,
	"removed" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crm"."member_names" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" ADD COLUMN "file_bom" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "crm"."timeline_entries" ADD COLUMN "quote" text;--> statement-breakpoint
CREATE UNIQUE INDEX "member_names_agency_user_idx" ON "crm"."member_names" USING btree ("agency_id","user_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."member_names" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));