DROP INDEX "crm"."clients_name_trgm_idx";--> statement-breakpoint
DROP INDEX "crm"."clients_email_trgm_idx";--> statement-breakpoint
DROP INDEX "crm"."contacts_name_trgm_idx";--> statement-breakpoint
DROP INDEX "crm"."contacts_email_trgm_idx";--> statement-breakpoint
ALTER TABLE "crm"."clients" ADD COLUMN "search_key" text GENERATED ALWAYS AS (crm.search_text(name) || ' ' || coalesce(crm.search_text(email), '') || ' ' || coalesce(crm.search_text(phone), '')) STORED;--> statement-breakpoint
ALTER TABLE "crm"."contacts" ADD COLUMN "search_key" text GENERATED ALWAYS AS (crm.search_text(coalesce(first_name, '') || coalesce(last_name, '')) || ' ' || coalesce(crm.search_text(email), '') || ' ' || coalesce(crm.search_text(phone), '') || ' ' || coalesce(crm.search_text(title), '')) STORED;--> statement-breakpoint
CREATE INDEX "clients_search_grams_idx" ON "crm"."clients" USING gin (crm.search_grams("agency_id", "search_key")) WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "clients_agency_search_key_idx" ON "crm"."clients" USING btree ("agency_id","search_key" collate "C","name","id") WHERE deleted_at is null;--> statement-breakpoint
CREATE INDEX "contacts_search_grams_idx" ON "crm"."contacts" USING gin (crm.search_grams("agency_id", "search_key")) WHERE deleted_at is null;