ALTER TABLE "crm"."contacts" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "crm"."notes" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;