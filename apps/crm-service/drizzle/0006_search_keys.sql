-- Search keys: what a search term is matched against. Letters and digits only, lower case, so
-- "acme-corp", "Acme Corp" and "acmecorp" all find "ACME Corp", and a term like "client-1-4"
-- turns into one selective run of trigrams instead of the weak ones pg_trgm makes of "1" and "4".
-- The term goes through the same function, in SQL, so both sides always agree.
CREATE OR REPLACE FUNCTION crm.search_text(t text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN lower(regexp_replace(t, '[^[:alnum:]]+', '', 'g'));
--> statement-breakpoint
-- The LIKE pattern for a term: null (matches nothing) when nothing of it is left, so a search for
-- "_" or "@" finds nothing rather than everything.
CREATE OR REPLACE FUNCTION crm.search_like(term text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN '%' || nullif(crm.search_text(term), '') || '%';
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_client_ids(text);
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_contact_ids(text, boolean);
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_client_top(text, text, integer);
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_contact_top(text, integer);
--> statement-breakpoint
-- Why functions at all: LIKE is not LEAKPROOF, so under FORCE RLS the planner will not use it as
-- an index condition ahead of the tenant policy. These run as the owner (which bypasses RLS) and
-- apply the tenant filter themselves, from the same app.agency_id setting the policy reads, so
-- they can use the (agency_id, search_key) indexes and still never see another agency. They
-- return ids only; callers read the rows through RLS as usual. EXECUTE plans each call for its
-- own term, so the planner sees how broad the term is.

-- One page of the client list for a search, and the exact number of matches, from one pass over
-- the matches (the trigram index finds them). Walking the sort index instead is quick only when
-- matches are spread evenly along it: for "wil" every match sits near the end of the name order.
-- sort_column is one of the list's sort columns; after_value/after_id are the cursor (null for
-- the first page); max_rows is the page size plus one, so the caller sees whether more follow.
CREATE FUNCTION crm.search_client_page(term text, active boolean, sort_column text, descending boolean,
                                       after_value text, after_id uuid, max_rows integer)
RETURNS TABLE (total bigint, ids uuid[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $f$
DECLARE
  k text := CASE sort_column
    WHEN 'name' THEN 'name'
    WHEN 'email' THEN 'coalesce(email, '''')'
    WHEN 'created_at' THEN 'created_at'
    WHEN 'updated_at' THEN 'updated_at' END;
  after text := CASE WHEN sort_column IN ('created_at', 'updated_at') THEN '$4::timestamptz' ELSE '$4' END;
  dir text := CASE WHEN descending THEN ' DESC' ELSE '' END;
BEGIN
  IF k IS NULL THEN
    RAISE EXCEPTION 'unknown sort column %', sort_column USING ERRCODE = '22023';
  END IF;
  RETURN QUERY EXECUTE
    'WITH m AS MATERIALIZED (
       SELECT id, ' || k || ' AS k FROM crm.clients
        WHERE agency_id = $2 AND deleted_at IS NULL AND search_key LIKE $1'
        || CASE WHEN active IS NULL THEN '' ELSE ' AND is_active = $3' END || ')
     SELECT (SELECT count(*) FROM m), array(
       SELECT id FROM m'
        || CASE WHEN after_id IS NULL THEN '' ELSE ' WHERE (k, id) ' || CASE WHEN descending THEN '<' ELSE '>' END || ' (' || after || ', $5)' END
        || ' ORDER BY k' || dir || ', id' || dir || ' LIMIT $6)'
    USING crm.search_like(term), nullif(current_setting('app.agency_id', true), '')::uuid, active, after_value, after_id, max_rows;
END
$f$;
--> statement-breakpoint
-- The same for the contact list, with its filters (a client, primary or not).
CREATE FUNCTION crm.search_contact_page(term text, client uuid, is_primary boolean, sort_column text, descending boolean,
                                        after_value text, after_id uuid, max_rows integer)
RETURNS TABLE (total bigint, ids uuid[])
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $f$
DECLARE
  k text := CASE sort_column
    WHEN 'last_name' THEN 'coalesce(last_name, '''')'
    WHEN 'first_name' THEN 'first_name'
    WHEN 'email' THEN 'coalesce(email, '''')'
    WHEN 'created_at' THEN 'created_at' END;
  after text := CASE WHEN sort_column = 'created_at' THEN '$5::timestamptz' ELSE '$5' END;
  dir text := CASE WHEN descending THEN ' DESC' ELSE '' END;
BEGIN
  IF k IS NULL THEN
    RAISE EXCEPTION 'unknown sort column %', sort_column USING ERRCODE = '22023';
  END IF;
  RETURN QUERY EXECUTE
    'WITH m AS MATERIALIZED (
       SELECT id, ' || k || ' AS k FROM crm.contacts
        WHERE agency_id = $2 AND deleted_at IS NULL AND search_key LIKE $1'
        || CASE WHEN client IS NULL THEN '' ELSE ' AND client_id = $3' END
        || CASE WHEN is_primary IS NULL THEN '' ELSE ' AND is_primary = $4' END || ')
     SELECT (SELECT count(*) FROM m), array(
       SELECT id FROM m'
        || CASE WHEN after_id IS NULL THEN '' ELSE ' WHERE (k, id) ' || CASE WHEN descending THEN '<' ELSE '>' END || ' (' || after || ', $6)' END
        || ' ORDER BY k' || dir || ', id' || dir || ' LIMIT $7)'
    USING crm.search_like(term), nullif(current_setting('app.agency_id', true), '')::uuid, client, is_primary, after_value, after_id, max_rows;
END
$f$;
--> statement-breakpoint
-- The search box: clients whose name starts with the term, in key order through the
-- (agency_id, search_key) btree, which stays quick however many there are; only when there are
-- fewer than max_rows of those, also the first other matches by name. The caller ranks the ids
-- (prefix matches first) and keeps max_rows.
CREATE FUNCTION crm.search_client_top(term text, max_rows integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 20 SET search_path = pg_catalog, public AS $f$
DECLARE
  agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
  pattern text := crm.search_like(term);
  found integer;
BEGIN
  RETURN QUERY EXECUTE
    'SELECT id FROM crm.clients
      WHERE agency_id = $2 AND deleted_at IS NULL AND search_key COLLATE "C" LIKE ltrim($1, ''%'')
      ORDER BY search_key COLLATE "C", id LIMIT $3'
    USING pattern, agency, max_rows;
  GET DIAGNOSTICS found = ROW_COUNT;
  IF found < max_rows THEN
    RETURN QUERY EXECUTE
      'WITH m AS MATERIALIZED (
         SELECT id, name FROM crm.clients WHERE agency_id = $2 AND deleted_at IS NULL AND search_key LIKE $1)
       SELECT id FROM m ORDER BY name, id LIMIT $3'
      USING pattern, agency, max_rows;
  END IF;
END
$f$;
--> statement-breakpoint
-- The search box: contacts whose own name or email matches, first by name, and the contacts of
-- the clients the search box shows for the term ("acm" finds ACME's people), max_rows of each.
CREATE FUNCTION crm.search_contact_top(term text, max_rows integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 20 SET search_path = pg_catalog, public AS $f$
BEGIN
  RETURN QUERY EXECUTE
    '(WITH m AS MATERIALIZED (
        SELECT id, last_name, first_name FROM crm.contacts WHERE agency_id = $2 AND deleted_at IS NULL AND search_key LIKE $1)
      SELECT id FROM m ORDER BY last_name, first_name, id LIMIT $3)
     UNION
     (SELECT id FROM crm.contacts
       WHERE agency_id = $2 AND deleted_at IS NULL AND client_id IN (SELECT crm.search_client_top($4, $3))
       ORDER BY last_name, first_name, id LIMIT $3)'
    USING crm.search_like(term), nullif(current_setting('app.agency_id', true), '')::uuid, max_rows, term;
END
$f$;
