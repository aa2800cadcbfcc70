-- The overdue schedule runs in a system transaction, which RLS shows no invoice. This lists, across
-- agencies, only what the schedule needs to decide whose day has started with something to mark:
-- each agency with open invoices (sent, viewed, partially paid, something due), its timezone and
-- its earliest due date. The marking itself runs in each agency's own tenant transaction.
CREATE OR REPLACE FUNCTION billing.agencies_with_open_invoices()
RETURNS TABLE (agency_id uuid, timezone text, earliest_due date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.agency_id, coalesce(max(a.timezone), 'UTC'), min(i.due_date)
  FROM billing.invoices i LEFT JOIN billing.agencies a ON a.id = i.agency_id
  WHERE i.status IN ('sent', 'viewed', 'partially_paid') AND i.amount_due > 0 AND i.due_date IS NOT NULL
  GROUP BY i.agency_id
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION billing.agencies_with_open_invoices() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION billing.agencies_with_open_invoices() TO atelier_billing;
