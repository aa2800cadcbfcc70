-- The search functions run as the schema owner. Without pg_temp in their search_path, Postgres
-- searches the caller's temporary schema first for tables and types, so a caller could shadow a
-- type the function's SQL names (a temporary domain whose CHECK calls the caller's code) and run
-- code as the owner. pg_temp last closes that (the migrator refuses a definer function without it).
ALTER FUNCTION crm.search_client_page(text, boolean, text, boolean, text, uuid, integer) SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION crm.search_contact_page(text, uuid, boolean, text, boolean, text, uuid, integer) SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION crm.search_client_top(text, integer) SET search_path = pg_catalog, pg_temp;
--> statement-breakpoint
ALTER FUNCTION crm.search_contact_top(text, integer) SET search_path = pg_catalog, pg_temp;
