-- Scheduled payment reminders run as a system job (no agency yet). This lookup runs as the schema
-- owner (bypassing RLS) and returns, per open invoice, the latest of its agency's reminder days
-- (settings' reminder_days, default {7,14}) whose hour p_at on due_date + day (agency timezone) is
-- at or before p_now and that was not sent (nor a later one): the reminder to send now. After
-- downtime the latest missed reminder goes out once, not every missed one.
CREATE OR REPLACE FUNCTION billing.due_reminders(p_now timestamptz, p_at time)
RETURNS TABLE (agency_id uuid, invoice_id uuid, reminder_day smallint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.agency_id, i.id, d.day
  FROM billing.invoices i
  LEFT JOIN billing.agencies a ON a.id = i.agency_id
  LEFT JOIN billing.invoicing_settings s ON s.agency_id = i.agency_id
  CROSS JOIN LATERAL (
    SELECT max(x)::smallint AS day
    FROM unnest(coalesce(s.reminder_days, '{7,14}'::smallint[])) AS x
    WHERE x > 0 AND ((i.due_date + x) + p_at) AT TIME ZONE coalesce(a.timezone, 'UTC') <= p_now
  ) d
  WHERE i.status IN ('sent', 'viewed', 'partially_paid', 'overdue')
    AND i.due_date IS NOT NULL
    AND d.day IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM billing.invoice_reminders r WHERE r.invoice_id = i.id AND r.reminder_day >= d.day)
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION billing.due_reminders(timestamptz, time) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION billing.due_reminders(timestamptz, time) TO atelier_billing;
