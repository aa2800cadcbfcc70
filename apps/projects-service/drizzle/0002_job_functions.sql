-- Claims up to p_limit due jobs of the given names for p_worker: queued ones whose run_at has come,
-- and running ones whose lease expired (their worker died). SKIP LOCKED lets replicas claim at once
-- without taking the same job; each claim is an attempt.
CREATE OR REPLACE FUNCTION projects.job_claim(p_worker text, p_names text[], p_lease interval, p_limit integer)
RETURNS SETOF projects.jobs
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH next AS (
    SELECT q.id FROM projects.jobs q
    WHERE q.name = ANY(p_names)
      AND ((q.status = 'queued' AND q.run_at <= now()) OR (q.status = 'running' AND q.locked_until < now()))
    ORDER BY q.run_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  )
  UPDATE projects.jobs j
  SET status = 'running', locked_by = p_worker, locked_until = now() + p_lease, attempts = j.attempts + 1,
      started_at = coalesce(j.started_at, now())
  FROM next WHERE j.id = next.id
  RETURNING j.*
$$;
--> statement-breakpoint
-- Extends the lease of those of p_ids that p_worker still holds and returns them. Called inside a
-- job's own transaction it also locks the row, so nobody can claim the job before that commit.
CREATE OR REPLACE FUNCTION projects.job_heartbeat(p_worker text, p_ids uuid[], p_lease interval)
RETURNS SETOF uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  UPDATE projects.jobs SET locked_until = now() + p_lease
  WHERE id = ANY(p_ids) AND locked_by = p_worker AND status = 'running'
  RETURNING id
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION projects.job_complete(p_id uuid, p_worker text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH done AS (
    UPDATE projects.jobs SET status = 'completed', locked_by = NULL, locked_until = NULL, finished_at = now()
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;
--> statement-breakpoint
-- A failed attempt with attempts left: back to the queue after p_delay, with the error kept.
CREATE OR REPLACE FUNCTION projects.job_retry(p_id uuid, p_worker text, p_error text, p_delay interval)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH done AS (
    UPDATE projects.jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, last_error = p_error, run_at = now() + p_delay
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION projects.job_fail(p_id uuid, p_worker text, p_error text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH done AS (
    UPDATE projects.jobs SET status = 'failed', locked_by = NULL, locked_until = NULL, last_error = p_error, finished_at = now()
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;
--> statement-breakpoint
-- A graceful stop hands the job back at once; that run does not count as an attempt.
CREATE OR REPLACE FUNCTION projects.job_release(p_id uuid, p_worker text)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH done AS (
    UPDATE projects.jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, run_at = now(), attempts = greatest(attempts - 1, 0)
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;
--> statement-breakpoint
-- Fires one slot of a schedule: records (schedule, slot) and enqueues its system job in one
-- statement. The primary key makes a second replica's attempt at the same slot a no-op (null).
CREATE OR REPLACE FUNCTION projects.job_schedule_fire(p_schedule text, p_slot timestamptz, p_name text, p_payload jsonb, p_max_attempts integer)
RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH fired AS (
    INSERT INTO projects.job_schedule_runs (schedule, slot, job_id) VALUES (p_schedule, p_slot, gen_random_uuid())
    ON CONFLICT DO NOTHING
    RETURNING job_id
  ), job AS (
    INSERT INTO projects.jobs (id, agency_id, name, payload, max_attempts)
    SELECT job_id, NULL, p_name, p_payload, p_max_attempts FROM fired
    RETURNING id
  ) SELECT id FROM job
$$;
--> statement-breakpoint
-- Housekeeping: completed jobs and fired slots older than p_done; failed jobs (which someone may
-- still want to look at or retry) older than p_failed.
CREATE OR REPLACE FUNCTION projects.job_prune(p_done interval, p_failed interval)
RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH jobs AS (
    DELETE FROM projects.jobs
    WHERE (status = 'completed' AND finished_at < now() - p_done) OR (status = 'failed' AND finished_at < now() - p_failed)
    RETURNING 1
  ), slots AS (
    DELETE FROM projects.job_schedule_runs WHERE fired_at < now() - p_done RETURNING 1
  ) SELECT (SELECT count(*) FROM jobs) + (SELECT count(*) FROM slots)
$$;
--> statement-breakpoint
-- Inbox rows only stop a redelivered event from applying twice; past every redelivery window they
-- are dead weight.
CREATE OR REPLACE FUNCTION projects.inbox_prune(p_keep interval)
RETURNS bigint
LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, projects, pg_temp AS $$
  WITH d AS (DELETE FROM projects.inbox WHERE processed_at < now() - p_keep RETURNING 1) SELECT count(*) FROM d
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION projects.job_claim(text, text[], interval, integer), projects.job_heartbeat(text, uuid[], interval), projects.job_complete(uuid, text), projects.job_retry(uuid, text, text, interval), projects.job_fail(uuid, text, text), projects.job_release(uuid, text), projects.job_schedule_fire(text, timestamptz, text, jsonb, integer), projects.job_prune(interval, interval), projects.inbox_prune(interval) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION projects.job_claim(text, text[], interval, integer), projects.job_heartbeat(text, uuid[], interval), projects.job_complete(uuid, text), projects.job_retry(uuid, text, text, interval), projects.job_fail(uuid, text, text), projects.job_release(uuid, text), projects.job_schedule_fire(text, timestamptz, text, jsonb, integer), projects.job_prune(interval, interval), projects.inbox_prune(interval) TO atelier_projects;
