CREATE SCHEMA IF NOT EXISTS "projects";
--> statement-breakpoint
CREATE TABLE "projects"."clients" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"email" text,
	"currency" char(3),
	"is_active" boolean NOT NULL,
	"deleted_at" timestamp (3) with time zone,
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "clients_live_has_currency" CHECK (deleted_at is not null or currency is not null)
);
--> statement-breakpoint
ALTER TABLE "projects"."clients" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."inbox" (
	"consumer" text NOT NULL,
	"event_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "inbox_consumer_event_id_pk" PRIMARY KEY("consumer","event_id")
);
--> statement-breakpoint
ALTER TABLE "projects"."inbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "projects"."outbox" (
	"seq" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "projects"."outbox_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"name" text NOT NULL,
	"envelope" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "outbox_id_unique" UNIQUE("id")
);
--> statement-breakpoint
ALTER TABLE "projects"."outbox" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "clients_agency_name_idx" ON "projects"."clients" USING btree ("agency_id","name","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "inbox_agency_idx" ON "projects"."inbox" USING btree ("agency_id","processed_at");--> statement-breakpoint
CREATE INDEX "outbox_agency_idx" ON "projects"."outbox" USING btree ("agency_id","seq");--> statement-breakpoint
CREATE INDEX "outbox_unpublished_idx" ON "projects"."outbox" USING btree ("seq") WHERE published_at is null;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."clients" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."inbox" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "projects"."outbox" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));