CREATE TABLE "crm"."attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"parent_kind" text NOT NULL,
	"parent_id" uuid NOT NULL,
	"client_id" uuid,
	"blob_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"size" bigint NOT NULL,
	"content_type" text NOT NULL,
	"sha256" text NOT NULL,
	"uploaded_by" uuid NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"deleted_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "crm"."attachments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crm"."blob_chunks" (
	"blob_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"agency_id" uuid NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "blob_chunks_blob_id_seq_pk" PRIMARY KEY("blob_id","seq")
);
--> statement-breakpoint
ALTER TABLE "crm"."blob_chunks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "crm"."blobs" (
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
ALTER TABLE "crm"."blobs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "attachments_agency_parent_idx" ON "crm"."attachments" USING btree ("agency_id","parent_kind","parent_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "attachments_blob_idx" ON "crm"."attachments" USING btree ("blob_id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "blob_chunks_agency_idx" ON "crm"."blob_chunks" USING btree ("agency_id","blob_id");--> statement-breakpoint
CREATE INDEX "blobs_agency_created_idx" ON "crm"."blobs" USING btree ("agency_id","created_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."attachments" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."blob_chunks" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "crm"."blobs" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
ALTER TABLE "crm"."blob_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
