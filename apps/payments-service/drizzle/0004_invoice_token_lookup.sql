-- The public checkout (`POST /api/public/invoices/:publicToken/checkout`) arrives with no session,
-- so the agency is not known yet. This lookup runs as the schema owner (which bypasses RLS) and
-- returns only the invoice whose token digest the caller already holds (the SHA-256 of a 128-bit
-- random secret); the service then reads the invoice in a tenant transaction of that agency. A
-- void invoice is not found.
CREATE OR REPLACE FUNCTION payments.find_invoice_by_public_token(p_digest text)
RETURNS TABLE (invoice_id uuid, agency_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.id, i.agency_id FROM payments.invoices i
  WHERE i.public_token_digest = p_digest AND i.status <> 'void'
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION payments.find_invoice_by_public_token(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION payments.find_invoice_by_public_token(text) TO atelier_payments;
