-- Trigram search under row-level security. ILIKE is not LEAKPROOF, so under FORCE RLS the
-- planner may not use it as an index condition ahead of the tenant policy and scans every row of
-- the agency instead. These functions run as the owner (which bypasses RLS) and apply the tenant
-- filter themselves, from the same app.agency_id setting the policy reads, so they can use the
-- trigram indexes and still never return another agency's ids. Callers then read the rows
-- through RLS as usual. plpgsql with EXECUTE plans each call for its own pattern and agency,
-- so the planner sees how many rows that agency has and picks the trigram index when it pays.
CREATE OR REPLACE FUNCTION crm.search_client_ids(pattern text) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50 SET search_path = pg_catalog, public AS $f$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT id FROM crm.clients
      WHERE agency_id = $2 AND deleted_at IS NULL AND (name ILIKE $1 OR email ILIKE $1)'
    USING pattern, nullif(current_setting('app.agency_id', true), '')::uuid;
END
$f$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION crm.search_contact_ids(pattern text, by_client_name boolean) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50 SET search_path = pg_catalog, public AS $f$
BEGIN
  RETURN QUERY EXECUTE
    'SELECT id FROM crm.contacts
      WHERE agency_id = $3 AND deleted_at IS NULL
        AND ((coalesce(first_name, '''') || '' '' || coalesce(last_name, '''')) ILIKE $1 OR email ILIKE $1)
     UNION
     SELECT c.id FROM crm.clients cl JOIN crm.contacts c ON c.client_id = cl.id AND c.agency_id = cl.agency_id
      WHERE $2 AND cl.agency_id = $3
        AND cl.deleted_at IS NULL AND c.deleted_at IS NULL AND cl.name ILIKE $1'
    USING pattern, by_client_name, nullif(current_setting('app.agency_id', true), '')::uuid;
END
$f$;
