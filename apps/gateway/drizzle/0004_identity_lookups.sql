-- Sessions end after an idle period as well as at their absolute expiry; resolving one moves its
-- last_seen_at forward (at most once a minute, so a busy session costs no write per request).
DROP FUNCTION IF EXISTS identity.resolve_session(text);
--> statement-breakpoint
CREATE FUNCTION identity.resolve_session(p_token_hash text, p_idle interval)
RETURNS TABLE (session_id uuid, user_id uuid, agency_id uuid, role identity.role, expires_at timestamptz, user_name text, user_email text, agency_name text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH live AS (
    SELECT s.id, s.user_id, s.agency_id, s.expires_at, s.last_seen_at FROM identity.sessions s
    WHERE s.token_hash = p_token_hash AND s.expires_at > now() AND s.last_seen_at > now() - p_idle
  ), touched AS (
    UPDATE identity.sessions s SET last_seen_at = now() FROM live
    WHERE s.id = live.id AND live.last_seen_at < now() - interval '1 minute' RETURNING s.id
  )
  SELECT l.id, l.user_id, l.agency_id, m.role, l.expires_at, u.name, u.email, a.name
  FROM live l
  JOIN identity.memberships m ON m.agency_id = l.agency_id AND m.user_id = l.user_id
  JOIN identity.users u ON u.id = l.user_id
  JOIN identity.agencies a ON a.id = l.agency_id
  LEFT JOIN touched t ON t.id = l.id
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION identity.resolve_api_token(p_token_hash text)
RETURNS TABLE (token_id uuid, user_id uuid, agency_id uuid, role identity.role, user_name text, user_email text, agency_name text)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  WITH live AS (
    SELECT t.id, t.user_id, t.agency_id, t.last_used_at FROM identity.api_tokens t
    WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())
  ), touched AS (
    UPDATE identity.api_tokens t SET last_used_at = now() FROM live
    WHERE t.id = live.id AND (live.last_used_at IS NULL OR live.last_used_at < now() - interval '1 minute') RETURNING t.id
  )
  SELECT l.id, l.user_id, l.agency_id, m.role, u.name, u.email, a.name
  FROM live l
  JOIN identity.memberships m ON m.agency_id = l.agency_id AND m.user_id = l.user_id
  JOIN identity.users u ON u.id = l.user_id
  JOIN identity.agencies a ON a.id = l.agency_id
  LEFT JOIN touched x ON x.id = l.id
$$;
--> statement-breakpoint
DROP FUNCTION IF EXISTS identity.find_invitation(text);
--> statement-breakpoint
CREATE FUNCTION identity.find_invitation(p_token_hash text)
RETURNS TABLE (id uuid, agency_id uuid, agency_name text, email text, role identity.role, expires_at timestamptz, accepted_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.id, i.agency_id, a.name, i.email, i.role, i.expires_at, i.accepted_at
  FROM identity.invitations i JOIN identity.agencies a ON a.id = i.agency_id
  WHERE i.token_hash = p_token_hash
$$;
