-- The public invoice page (`/i/:publicToken`) and its checkout arrive with no session, so the
-- agency is not known yet. This lookup runs as the schema owner (which bypasses RLS) and returns
-- only the invoice whose token hash the caller already holds (a 128-bit random secret); the
-- service then reads the invoice in a tenant transaction of that agency. A voided invoice is
-- not found (the contract's 404).
CREATE OR REPLACE FUNCTION billing.find_invoice_by_public_token(p_token_hash bytea)
RETURNS TABLE (invoice_id uuid, agency_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.id, i.agency_id FROM billing.invoices i
  WHERE i.public_token_hash = p_token_hash AND i.status <> 'void'
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION billing.find_invoice_by_public_token(bytea) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION billing.find_invoice_by_public_token(bytea) TO atelier_billing;
