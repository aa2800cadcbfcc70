-- Reconciliation runs as a system job (no agency): it asks Stripe how the Checkout Sessions that
-- are still open here after a few minutes ended, in case their webhooks were lost. This lists
-- them across agencies, each row with its own agency, and nothing else of them; the service then
-- applies what Stripe says in a tenant transaction of that agency.
CREATE OR REPLACE FUNCTION payments.stale_open_sessions(p_older_than interval, p_limit integer)
RETURNS TABLE (agency_id uuid, stripe_session_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT s.agency_id, s.stripe_session_id FROM payments.checkout_sessions s
  WHERE s.status = 'open' AND s.created_at < now() - p_older_than
  ORDER BY s.created_at, s.id
  LIMIT p_limit
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION payments.stale_open_sessions(interval, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION payments.stale_open_sessions(interval, integer) TO atelier_payments;
