CREATE TABLE "billing"."invoice_tallies" (
	"agency_id" uuid NOT NULL,
	"client_id" uuid NOT NULL,
	"status" text NOT NULL,
	"invoices" integer NOT NULL,
	CONSTRAINT "invoice_tallies_pk" PRIMARY KEY("agency_id","client_id","status")
);
--> statement-breakpoint
ALTER TABLE "billing"."invoice_tallies" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "billing"."invoice_tallies" AS PERMISSIVE FOR ALL TO public USING (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid)) WITH CHECK (agency_id = (select nullif(current_setting('app.agency_id', true), '')::uuid));--> statement-breakpoint
-- Kept per statement from its transition tables, so a bulk change (the overdue sweep, a seed) is
-- one upsert. Keys are applied in sorted order: two transactions that touch the same tallies lock
-- them in the same order and cannot deadlock on them. Runs with the caller's rights, so a tenant
-- transaction can only ever count into its own agency's rows. Each branch names only the
-- transition tables its trigger has (a statement naming another would not plan).
CREATE FUNCTION billing.tally_invoices() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    DELETE FROM billing.invoice_tallies;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO billing.invoice_tallies AS t (agency_id, client_id, status, invoices)
    SELECT agency_id, client_id, status, sum(n)::integer FROM (SELECT agency_id, client_id, status, 1 AS n FROM new_rows) d
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (agency_id, client_id, status) DO UPDATE SET invoices = t.invoices + excluded.invoices;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO billing.invoice_tallies AS t (agency_id, client_id, status, invoices)
    SELECT agency_id, client_id, status, sum(n)::integer FROM (SELECT agency_id, client_id, status, -1 AS n FROM old_rows) d
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (agency_id, client_id, status) DO UPDATE SET invoices = t.invoices + excluded.invoices;
  ELSE
    INSERT INTO billing.invoice_tallies AS t (agency_id, client_id, status, invoices)
    SELECT agency_id, client_id, status, sum(n)::integer FROM (SELECT agency_id, client_id, status, 1 AS n FROM new_rows UNION ALL SELECT agency_id, client_id, status, -1 AS n FROM old_rows) d
    GROUP BY 1, 2, 3 HAVING sum(n) <> 0 ORDER BY 1, 2, 3
    ON CONFLICT (agency_id, client_id, status) DO UPDATE SET invoices = t.invoices + excluded.invoices;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER invoice_tallies_insert AFTER INSERT ON billing.invoices REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION billing.tally_invoices();
--> statement-breakpoint
CREATE TRIGGER invoice_tallies_update AFTER UPDATE ON billing.invoices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION billing.tally_invoices();
--> statement-breakpoint
CREATE TRIGGER invoice_tallies_delete AFTER DELETE ON billing.invoices REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION billing.tally_invoices();
--> statement-breakpoint
CREATE TRIGGER invoice_tallies_truncate AFTER TRUNCATE ON billing.invoices FOR EACH STATEMENT EXECUTE FUNCTION billing.tally_invoices();
--> statement-breakpoint
-- The invoices that exist already (the migration runs as the schema owner, which sees every agency).
INSERT INTO billing.invoice_tallies (agency_id, client_id, status, invoices)
SELECT agency_id, client_id, status, count(*) FROM billing.invoices GROUP BY 1, 2, 3;
