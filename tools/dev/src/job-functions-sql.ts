import { serviceRole, SERVICE_SCHEMAS, type ServiceName } from '@atelier/platform';

/**
 * The security-definer functions of the kit's job runner and pruning for one service schema, as
 * the body of a drizzle-kit custom migration (`drizzle-kit generate --custom`, then paste this):
 *   npx tsx tools/dev/src/job-functions-sql.ts crm > apps/crm-service/drizzle/00NN_jobs.sql
 * The runner works across agencies (claiming, leases, schedules) and pruning deletes every
 * agency's old rows, while `jobs`, `outbox` and `inbox` keep FORCE RLS for the service role; so
 * each of these does one narrow thing as the owner. `search_path` ends in pg_temp so no temporary
 * object can shadow what they call, and only the service's own role may execute them.
 */
export function jobFunctionsSql(service: ServiceName): string {
  const s = SERVICE_SCHEMAS[service];
  // The gateway consumes no events: its schema has an outbox but no inbox to prune.
  const inbox = service !== 'gateway';
  const role = serviceRole(service);
  const definer = `LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, ${s}, pg_temp`;
  const fns = [
    'job_claim(text, text[], interval, integer)',
    'job_heartbeat(text, uuid[], interval)',
    'job_complete(uuid, text)',
    'job_retry(uuid, text, text, interval)',
    'job_fail(uuid, text, text)',
    'job_release(uuid, text)',
    'job_schedule_fire(text, timestamptz, text, jsonb, integer)',
    'job_prune(interval, interval)',
    ...(inbox ? ['inbox_prune(interval)'] : []),
  ].map((f) => `${s}.${f}`);
  const statements = [
    `-- Claims up to p_limit due jobs of the given names for p_worker: queued ones whose run_at has come,
-- and running ones whose lease expired (their worker died). SKIP LOCKED lets replicas claim at once
-- without taking the same job; each claim is an attempt.
CREATE OR REPLACE FUNCTION ${s}.job_claim(p_worker text, p_names text[], p_lease interval, p_limit integer)
RETURNS SETOF ${s}.jobs
${definer} AS $$
  WITH next AS (
    SELECT q.id FROM ${s}.jobs q
    WHERE q.name = ANY(p_names)
      AND ((q.status = 'queued' AND q.run_at <= now()) OR (q.status = 'running' AND q.locked_until < now()))
    ORDER BY q.run_at
    LIMIT p_limit
    FOR UPDATE SKIP LOCKED
  )
  UPDATE ${s}.jobs j
  SET status = 'running', locked_by = p_worker, locked_until = now() + p_lease, attempts = j.attempts + 1,
      started_at = coalesce(j.started_at, now())
  FROM next WHERE j.id = next.id
  RETURNING j.*
$$;`,
    `-- Extends the lease of those of p_ids that p_worker still holds and returns them. Called inside a
-- job's own transaction it also locks the row, so nobody can claim the job before that commit.
CREATE OR REPLACE FUNCTION ${s}.job_heartbeat(p_worker text, p_ids uuid[], p_lease interval)
RETURNS SETOF uuid
${definer} AS $$
  UPDATE ${s}.jobs SET locked_until = now() + p_lease
  WHERE id = ANY(p_ids) AND locked_by = p_worker AND status = 'running'
  RETURNING id
$$;`,
    `CREATE OR REPLACE FUNCTION ${s}.job_complete(p_id uuid, p_worker text)
RETURNS boolean
${definer} AS $$
  WITH done AS (
    UPDATE ${s}.jobs SET status = 'completed', locked_by = NULL, locked_until = NULL, finished_at = now()
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;`,
    `-- A failed attempt with attempts left: back to the queue after p_delay, with the error kept.
CREATE OR REPLACE FUNCTION ${s}.job_retry(p_id uuid, p_worker text, p_error text, p_delay interval)
RETURNS boolean
${definer} AS $$
  WITH done AS (
    UPDATE ${s}.jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, last_error = p_error, run_at = now() + p_delay
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;`,
    `CREATE OR REPLACE FUNCTION ${s}.job_fail(p_id uuid, p_worker text, p_error text)
RETURNS boolean
${definer} AS $$
  WITH done AS (
    UPDATE ${s}.jobs SET status = 'failed', locked_by = NULL, locked_until = NULL, last_error = p_error, finished_at = now()
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;`,
    `-- A graceful stop hands the job back at once; that run does not count as an attempt.
CREATE OR REPLACE FUNCTION ${s}.job_release(p_id uuid, p_worker text)
RETURNS boolean
${definer} AS $$
  WITH done AS (
    UPDATE ${s}.jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, run_at = now(), attempts = greatest(attempts - 1, 0)
    WHERE id = p_id AND locked_by = p_worker AND status = 'running'
    RETURNING 1
  ) SELECT count(*) = 1 FROM done
$$;`,
    `-- Fires one slot of a schedule: records (schedule, slot) and enqueues its system job in one
-- statement. The primary key makes a second replica's attempt at the same slot a no-op (null).
CREATE OR REPLACE FUNCTION ${s}.job_schedule_fire(p_schedule text, p_slot timestamptz, p_name text, p_payload jsonb, p_max_attempts integer)
RETURNS uuid
${definer} AS $$
  WITH fired AS (
    INSERT INTO ${s}.job_schedule_runs (schedule, slot, job_id) VALUES (p_schedule, p_slot, gen_random_uuid())
    ON CONFLICT DO NOTHING
    RETURNING job_id
  ), job AS (
    INSERT INTO ${s}.jobs (id, agency_id, name, payload, max_attempts)
    SELECT job_id, NULL, p_name, p_payload, p_max_attempts FROM fired
    RETURNING id
  ) SELECT id FROM job
$$;`,
    `-- Housekeeping: completed jobs and fired slots older than p_done; failed jobs (which someone may
-- still want to look at or retry) older than p_failed.
CREATE OR REPLACE FUNCTION ${s}.job_prune(p_done interval, p_failed interval)
RETURNS bigint
${definer} AS $$
  WITH jobs AS (
    DELETE FROM ${s}.jobs
    WHERE (status = 'completed' AND finished_at < now() - p_done) OR (status = 'failed' AND finished_at < now() - p_failed)
    RETURNING 1
  ), slots AS (
    DELETE FROM ${s}.job_schedule_runs WHERE fired_at < now() - p_done RETURNING 1
  ) SELECT (SELECT count(*) FROM jobs) + (SELECT count(*) FROM slots)
$$;`,
    ...(inbox
      ? [
          `-- Inbox rows only stop a redelivered event from applying twice; past every redelivery window they
-- are dead weight.
CREATE OR REPLACE FUNCTION ${s}.inbox_prune(p_keep interval)
RETURNS bigint
${definer} AS $$
  WITH d AS (DELETE FROM ${s}.inbox WHERE processed_at < now() - p_keep RETURNING 1) SELECT count(*) FROM d
$$;`,
        ]
      : []),
    `REVOKE ALL ON FUNCTION ${fns.join(', ')} FROM PUBLIC;`,
    `GRANT EXECUTE ON FUNCTION ${fns.join(', ')} TO ${role};`,
  ];
  return `${statements.join('\n--> statement-breakpoint\n')}\n`;
}

const service = process.argv[2];
if (import.meta.url === `file://${process.argv[1]}` && service) {
  if (!Object.hasOwn(SERVICE_SCHEMAS, service)) throw new Error(`unknown service ${service}`);
  process.stdout.write(jobFunctionsSql(service as ServiceName));
}
