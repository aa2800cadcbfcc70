-- The CSV import runner works across agencies: any crm replica picks up a committed job, or one
-- whose worker died (a stale heartbeat). Like the outbox relay's functions, these run as the owner
-- role (which bypasses RLS) and do one narrow thing each; everything else about a job happens in
-- the job's own agency transaction.

-- Claims the oldest job that is queued, or running with a heartbeat older than p_stale_after, for
-- p_worker. SKIP LOCKED lets several replicas claim at once without taking the same job.
CREATE OR REPLACE FUNCTION crm.import_job_claim(p_worker text, p_stale_after interval)
RETURNS TABLE (job_id uuid, job_agency_id uuid, job_attempts integer)
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  UPDATE crm.import_jobs j
  SET status = 'running', worker = p_worker, heartbeat_at = now(), attempts = j.attempts + 1,
      started_at = coalesce(j.started_at, now())
  WHERE j.id = (
    SELECT q.id FROM crm.import_jobs q
    WHERE q.status = 'queued'
       OR (q.status = 'running' AND (q.heartbeat_at IS NULL OR q.heartbeat_at < now() - p_stale_after))
    ORDER BY q.created_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED
  )
  RETURNING j.id, j.agency_id, j.attempts
$$;
--> statement-breakpoint
-- Housekeeping: uploads never committed expire (their job is failed, saying so), and file chunks
-- are removed once nothing can read them any more (finished or expired jobs, and chunks of an
-- upload whose process died before it created the job). Returns the number of chunks removed.
CREATE OR REPLACE FUNCTION crm.import_sweep(p_uploaded_ttl interval, p_orphan_ttl interval)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  removed integer;
BEGIN
  UPDATE crm.import_jobs
  SET status = 'failed', error = 'The upload expired before it was committed; nothing was imported.', finished_at = now()
  WHERE status = 'uploaded' AND created_at < now() - p_uploaded_ttl;

  DELETE FROM crm.import_file_chunks c
  WHERE EXISTS (SELECT 1 FROM crm.import_jobs j WHERE j.id = c.job_id AND j.status IN ('completed', 'failed'))
     OR (c.created_at < now() - p_orphan_ttl AND NOT EXISTS (SELECT 1 FROM crm.import_jobs j WHERE j.id = c.job_id));
  GET DIAGNOSTICS removed = ROW_COUNT;
  RETURN removed;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION crm.import_job_claim(text, interval), crm.import_sweep(interval, interval) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION crm.import_job_claim(text, interval), crm.import_sweep(interval, interval) TO atelier_crm;
