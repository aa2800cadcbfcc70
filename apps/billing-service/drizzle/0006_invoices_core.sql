ALTER TABLE "billing"."invoices" DROP CONSTRAINT "invoices_amount_due";--> statement-breakpoint
ALTER TABLE "billing"."invoice_line_time_entries" ADD COLUMN "refused_reason" text;--> statement-breakpoint
ALTER TABLE "billing"."invoices" ADD CONSTRAINT "invoices_amount_due" CHECK (amount_due = greatest(total - amount_paid, 0) and amount_paid >= 0);