ALTER TABLE "crm"."import_file_chunks" ADD COLUMN "created_at" timestamp (3) with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" ADD COLUMN "last_row" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" ADD COLUMN "unchanged" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" ADD COLUMN "worker" text;--> statement-breakpoint
ALTER TABLE "crm"."import_jobs" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;