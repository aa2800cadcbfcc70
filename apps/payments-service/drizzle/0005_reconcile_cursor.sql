CREATE TABLE "payments"."reconcile_cursor" (
	"id" smallint PRIMARY KEY NOT NULL,
	"created_after" bigint NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
