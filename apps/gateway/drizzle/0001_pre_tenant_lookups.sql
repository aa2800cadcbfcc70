-- Lookups that must happen before the agency is known (a session cookie, an API token, a login,
-- an invitation link). They run as the owner role, which bypasses RLS, and each returns only the
-- rows matching a secret the caller already holds.
CREATE OR REPLACE FUNCTION identity.resolve_session(p_token_hash text)
RETURNS TABLE (session_id uuid, user_id uuid, agency_id uuid, role identity.role, expires_at timestamptz, user_name text, user_email text, agency_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT s.id, s.user_id, s.agency_id, m.role, s.expires_at, u.name, u.email, a.name
  FROM identity.sessions s
  JOIN identity.memberships m ON m.agency_id = s.agency_id AND m.user_id = s.user_id
  JOIN identity.users u ON u.id = s.user_id
  JOIN identity.agencies a ON a.id = s.agency_id
  WHERE s.token_hash = p_token_hash AND s.expires_at > now()
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION identity.resolve_api_token(p_token_hash text)
RETURNS TABLE (token_id uuid, user_id uuid, agency_id uuid, role identity.role, user_name text, user_email text, agency_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT t.id, t.user_id, t.agency_id, m.role, u.name, u.email, a.name
  FROM identity.api_tokens t
  JOIN identity.memberships m ON m.agency_id = t.agency_id AND m.user_id = t.user_id
  JOIN identity.users u ON u.id = t.user_id
  JOIN identity.agencies a ON a.id = t.agency_id
  WHERE t.token_hash = p_token_hash AND t.revoked_at IS NULL
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION identity.user_memberships(p_user_id uuid)
RETURNS TABLE (agency_id uuid, role identity.role, agency_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT m.agency_id, m.role, a.name
  FROM identity.memberships m JOIN identity.agencies a ON a.id = m.agency_id
  WHERE m.user_id = p_user_id
  ORDER BY m.created_at
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION identity.find_invitation(p_token_hash text)
RETURNS TABLE (id uuid, agency_id uuid, email text, role identity.role, expires_at timestamptz, accepted_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT i.id, i.agency_id, i.email, i.role, i.expires_at, i.accepted_at
  FROM identity.invitations i WHERE i.token_hash = p_token_hash
$$;
