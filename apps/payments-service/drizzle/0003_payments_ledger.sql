CREATE TABLE "payments"."checkout_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"currency" char(3) NOT NULL,
	"idempotency_key" text NOT NULL,
	"stripe_session_id" text NOT NULL,
	"url" text,
	"status" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkout_sessions_status" CHECK (status = any (array['open', 'complete', 'expired']))
);
--> statement-breakpoint
ALTER TABLE "payments"."checkout_sessions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payments"."invoices" (
	"id" uuid PRIMARY KEY NOT NULL,
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"number" text,
	"currency" char(3) NOT NULL,
	"total" numeric(19, 4),
	"amount_due" numeric(19, 4),
	"status" text NOT NULL,
	"public_token_digest" text,
	"version" integer NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "payments"."invoices" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payments"."payments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"invoice_id" uuid NOT NULL,
	"client_id" uuid,
	"amount" numeric(19, 4) NOT NULL,
	"amount_refunded" numeric(19, 4) DEFAULT '0' NOT NULL,
	"currency" char(3) NOT NULL,
	"status" text NOT NULL,
	"method" text NOT NULL,
	"reference" text,
	"paid_on" date,
	"stripe_payment_intent_id" text,
	"stripe_charge_id" text,
	"failure_reason" text,
	"overpaid" boolean DEFAULT false NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_status" CHECK (status = any (array['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'])),
	CONSTRAINT "payments_method" CHECK (method = any (array['card', 'bank_transfer', 'cash', 'check', 'other'])),
	CONSTRAINT "payments_refund_bounds" CHECK (amount_refunded >= 0 and amount_refunded <= amount)
);
--> statement-breakpoint
ALTER TABLE "payments"."payments" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payments"."refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"payment_id" uuid NOT NULL,
	"amount" numeric(19, 4) NOT NULL,
	"status" text NOT NULL,
	"stripe_refund_id" text,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_status" CHECK (status = any (array['pending', 'succeeded', 'failed', 'canceled']))
);
--> statement-breakpoint
ALTER TABLE "payments"."refunds" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "payments"."webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"agency_id" uuid NOT NULL,
	"stripe_event_id" text NOT NULL,
	"type" text NOT NULL,
	"stripe_created_at" timestamp (3) with time zone NOT NULL,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 1 NOT NULL,
	"error" text,
	"payload" jsonb NOT NULL,
	CONSTRAINT "webhook_events_status" CHECK (status = any (array['processed', 'ignored', 'failed']))
);
--> statement-breakpoint
ALTER TABLE "payments"."webhook_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE INDEX "checkout_sessions_agency_invoice_idx" ON "payments"."checkout_sessions" USING btree ("agency_id","invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "checkout_sessions_stripe_session_idx" ON "payments"."checkout_sessions" USING btree ("stripe_session_id");--> statement-breakpoint
CREATE INDEX "checkout_sessions_open_idx" ON "payments"."checkout_sessions" USING btree ("created_at") WHERE status = 'open';--> statement-breakpoint
CREATE INDEX "invoices_agency_idx" ON "payments"."invoices" USING btree ("agency_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_public_token_digest_idx" ON "payments"."invoices" USING btree ("public_token_digest");--> statement-breakpoint
CREATE INDEX "payments_agency_created_idx" ON "payments"."payments" USING btree ("agency_id","created_at","id");--> statement-breakpoint
CREATE INDEX "payments_agency_invoice_idx" ON "payments"."payments" USING btree ("agency_id","invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_stripe_intent_idx" ON "payments"."payments" USING btree ("stripe_payment_intent_id");--> statement-breakpoint
CREATE INDEX "refunds_agency_payment_idx" ON "payments"."refunds" USING btree ("agency_id","payment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "refunds_stripe_refund_idx" ON "payments"."refunds" USING btree ("stripe_refund_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_stripe_event_idx" ON "payments"."webhook_events" USING btree ("stripe_event_id");--> statement-breakpoint
CREATE INDEX "webhook_events_agency_received_idx" ON "payments"."webhook_events" USING btree ("agency_id","received_at","id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "payments"."checkout_sessions" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "payments"."invoices" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "payments"."payments" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "payments"."refunds" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "payments"."webhook_events" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));