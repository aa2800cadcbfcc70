-- Top-N variants of the search functions for the search box (`GET /api/search`): they return at
-- most max_rows prefix matches plus max_rows other matches, each in name order, so a broad term
-- stops after a page of matches (walking the (agency_id, name) index) instead of reading every
-- match. The caller ranks prefix matches first and keeps max_rows.
CREATE OR REPLACE FUNCTION crm.search_client_top(pattern text, prefix text, max_rows integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 20 SET search_path = pg_catalog, public AS $f$
BEGIN
  RETURN QUERY EXECUTE
    '(SELECT id FROM crm.clients
       WHERE agency_id = $3 AND deleted_at IS NULL AND name ILIKE $2
       ORDER BY name, id LIMIT $4)
     UNION
     (SELECT id FROM crm.clients
       WHERE agency_id = $3 AND deleted_at IS NULL AND (name ILIKE $1 OR email ILIKE $1)
       ORDER BY name, id LIMIT $4)'
    USING pattern, prefix, nullif(current_setting('app.agency_id', true), '')::uuid, max_rows;
END
$f$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION crm.search_contact_top(pattern text, max_rows integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 20 SET search_path = pg_catalog, public AS $f$
BEGIN
  RETURN QUERY EXECUTE
    '(SELECT id FROM crm.contacts
       WHERE agency_id = $2 AND deleted_at IS NULL
         AND ((coalesce(first_name, '''') || '' '' || coalesce(last_name, '''')) ILIKE $1 OR email ILIKE $1)
       ORDER BY last_name, first_name, id LIMIT $3)
     UNION
     (SELECT c.id FROM crm.clients cl JOIN crm.contacts c ON c.client_id = cl.id AND c.agency_id = cl.agency_id
       WHERE cl.agency_id = $2 AND cl.deleted_at IS NULL AND c.deleted_at IS NULL AND cl.name ILIKE $1
       ORDER BY cl.name, c.id LIMIT $3)'
    USING pattern, nullif(current_setting('app.agency_id', true), '')::uuid, max_rows;
END
$f$;
