-- Search keys: what a search term is matched against. Letters and digits only, lower case, so
-- "acme-corp", "Acme Corp" and "acmecorp" all find "ACME Corp", and a term like "client-1-4"
-- becomes one run of letters and digits instead of the weak pieces "client", "1" and "4". The
-- term goes through the same function, in SQL, so both sides always agree.
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
-- Every three-letter piece of a key, hashed and mixed with its agency. A GIN index over them (an
-- expression index) keeps one posting list per agency and trigram: pg_trgm's keeps one per
-- trigram for all agencies at once, so finding one agency's "nor" read every agency's, and the
-- agency's own list besides. A match holds every piece the query looks up; LIKE then decides (a
-- hash may collide: that costs a row read, never a wrong answer). plpgsql, because a SQL body
-- with a sub-select costs twice as much per row, and every insert and update pays it.
CREATE OR REPLACE FUNCTION crm.search_grams(agency uuid, key text) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $f$
DECLARE
  seed integer := hashtext(agency::text);
  grams integer[] := '{}';
BEGIN
  FOR i IN 1 .. length(key) - 2 LOOP
    grams := grams || (hashtext(substr(key, i, 3)) # seed);
  END LOOP;
  RETURN grams;
END
$f$;
--> statement-breakpoint
-- The trigrams a search for `term` looks up: at most three, since GIN reads every posting list
-- it is given in full and LIKE checks the rows anyway. Those with a digit first (numbers are what
-- sets "billing+030288@client-1-24.example" apart; "bil" and "cli" are in every email), then
-- from both ends of the term.
CREATE OR REPLACE FUNCTION crm.search_grams_query(agency uuid, term text) RETURNS integer[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ARRAY(
  SELECT DISTINCT hashtext(gram) # hashtext(agency::text) FROM (
    SELECT substr(k, i, 3) AS gram FROM crm.search_text(term) AS k, generate_series(1, length(k) - 2) AS i
     ORDER BY substr(k, i, 3) ~ '[0-9]' DESC, least(i, length(k) - 1 - i), i
     LIMIT 3) picked);
--> statement-breakpoint
-- The agency-and-term condition of the functions below, as SQL with $1 = crm.search_like(term),
-- $2 = the agency and `grams` naming the parameter that holds crm.search_grams_query(agency, term).
-- With trigrams, the agency is tested as IS NOT DISTINCT FROM (the same as = on a NOT NULL
-- column), which no btree serves: the grams are the agency's own already, and a planner that
-- ANDed in the agency's whole btree spent more on it than on the search. A term of one or two
-- letters has no trigram and leaves the agency's rows to LIKE alone.
CREATE OR REPLACE FUNCTION crm.search_condition(term text, grams text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN length(crm.search_text(term)) >= 3
  THEN 'agency_id IS NOT DISTINCT FROM $2 AND crm.search_grams(agency_id, search_key) @> ' || grams || ' AND search_key LIKE $1'
  ELSE 'agency_id = $2 AND search_key LIKE $1' END;
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_client_ids(text);
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_contact_ids(text, boolean);
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_client_top(text, text, integer);
--> statement-breakpoint
DROP FUNCTION IF EXISTS crm.search_contact_top(text, integer);
--> statement-breakpoint
-- Why functions at all: LIKE is not LEAKPROOF, so under FORCE RLS the planner will not use an
-- index for it ahead of the tenant policy. These run as the owner (which bypasses RLS) and apply
-- the tenant filter themselves, from the same app.agency_id setting the policy reads, so they
-- can use the search indexes and still never see another agency. They return ids only; callers
-- read the rows through RLS as usual. EXECUTE plans each call for its own term. No parallel
-- workers: a search reads a few thousand rows at most, and on a busy server the workers only
-- queue behind other requests (a planner that saw crm.search_grams' cost once chose them).

-- One page of the client list for a search, and the exact number of matches, from one pass over
-- the matches (the grams index finds them). Walking the sort index instead is quick only when
-- matches are spread evenly along it: for "wil" every match sits near the end of the name order.
-- sort_column is one of the list's sort columns; after_value/after_id are the cursor (null for
-- the first page); max_rows is the page size plus one, so the caller sees whether more follow.
CREATE FUNCTION crm.search_client_page(term text, active boolean, sort_column text, descending boolean,
                                       after_value text, after_id uuid, max_rows integer)
RETURNS TABLE (total bigint, ids uuid[])
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public SET max_parallel_workers_per_gather = 0 AS $f$
DECLARE
  agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
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
        WHERE deleted_at IS NULL AND ' || crm.search_condition(term, '$7')
        || CASE WHEN active IS NULL THEN '' ELSE ' AND is_active = $3' END || ')
     SELECT (SELECT count(*) FROM m), array(
       SELECT id FROM m'
        || CASE WHEN after_id IS NULL THEN '' ELSE ' WHERE (k, id) ' || CASE WHEN descending THEN '<' ELSE '>' END || ' (' || after || ', $5)' END
        || ' ORDER BY k' || dir || ', id' || dir || ' LIMIT $6)'
    USING crm.search_like(term), agency, active, after_value, after_id, max_rows, crm.search_grams_query(agency, term);
END
$f$;
--> statement-breakpoint
-- The same for the contact list, with its filters (a client, primary or not).
CREATE FUNCTION crm.search_contact_page(term text, client uuid, is_primary boolean, sort_column text, descending boolean,
                                        after_value text, after_id uuid, max_rows integer)
RETURNS TABLE (total bigint, ids uuid[])
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, public SET max_parallel_workers_per_gather = 0 AS $f$
DECLARE
  agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
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
        WHERE deleted_at IS NULL AND ' || crm.search_condition(term, '$8')
        || CASE WHEN client IS NULL THEN '' ELSE ' AND client_id = $3' END
        || CASE WHEN is_primary IS NULL THEN '' ELSE ' AND is_primary = $4' END || ')
     SELECT (SELECT count(*) FROM m), array(
       SELECT id FROM m'
        || CASE WHEN after_id IS NULL THEN '' ELSE ' WHERE (k, id) ' || CASE WHEN descending THEN '<' ELSE '>' END || ' (' || after || ', $6)' END
        || ' ORDER BY k' || dir || ', id' || dir || ' LIMIT $7)'
    USING crm.search_like(term), agency, client, is_primary, after_value, after_id, max_rows, crm.search_grams_query(agency, term);
END
$f$;
--> statement-breakpoint
-- The search box: clients whose name starts with the term, in key order through the
-- (agency_id, search_key) btree, which stays quick however many there are; only when there are
-- fewer than max_rows of those, other matches too: the first by name among the first 200 the
-- grams index finds. For a term with thousands of matches that is a sample, not the
-- alphabetical first (finding those means reading every match, as the list does); the box shows
-- a handful of rows and the list has them all. The caller ranks the ids and keeps max_rows.
CREATE FUNCTION crm.search_client_top(term text, max_rows integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 20
SET search_path = pg_catalog, public SET max_parallel_workers_per_gather = 0 AS $f$
DECLARE
  agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
  found integer;
BEGIN
  RETURN QUERY EXECUTE
    'SELECT id FROM crm.clients
      WHERE agency_id = $2 AND deleted_at IS NULL AND search_key COLLATE "C" LIKE ltrim($1, ''%'')
      ORDER BY search_key COLLATE "C", name, id LIMIT $3'
    USING crm.search_like(term), agency, max_rows;
  GET DIAGNOSTICS found = ROW_COUNT;
  IF found < max_rows THEN
    RETURN QUERY EXECUTE
      'SELECT id FROM (
         SELECT id, name FROM crm.clients WHERE deleted_at IS NULL AND ' || crm.search_condition(term, '$4') || ' LIMIT 200) m
       ORDER BY name, id LIMIT $3'
      USING crm.search_like(term), agency, max_rows, crm.search_grams_query(agency, term);
  END IF;
END
$f$;
--> statement-breakpoint
-- The search box: contacts whose own key (name, email, phone, title) matches (first by name among the first 200
-- found, as above), and the contacts of the clients the search box shows for the term ("acm"
-- finds ACME's people), max_rows of each.
CREATE FUNCTION crm.search_contact_top(term text, max_rows integer) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 20
SET search_path = pg_catalog, public SET max_parallel_workers_per_gather = 0 AS $f$
DECLARE
  agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
BEGIN
  RETURN QUERY EXECUTE
    '(SELECT id FROM (
        SELECT id, last_name, first_name FROM crm.contacts
         WHERE deleted_at IS NULL AND ' || crm.search_condition(term, '$5') || ' LIMIT 200) m
      ORDER BY last_name, first_name, id LIMIT $3)
     UNION
     (SELECT id FROM crm.contacts
       WHERE agency_id = $2 AND deleted_at IS NULL AND client_id IN (SELECT crm.search_client_top($4, $3))
       ORDER BY last_name, first_name, id LIMIT $3)'
    USING crm.search_like(term), agency, max_rows, term, crm.search_grams_query(agency, term);
END
$f$;
