CREATE TABLE "document_contents" (
	"sha256" char(64) PRIMARY KEY NOT NULL,
	"size_bytes" integer NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- The key is the content's own hash, checked by Postgres: a row cannot hold other bytes than its key names.
ALTER TABLE "document_contents" ADD CONSTRAINT "document_contents_sha256_matches" CHECK ("sha256" = encode(sha256("content"), 'hex'));
--> statement-breakpoint
ALTER TABLE "document_contents" ADD CONSTRAINT "document_contents_size_matches" CHECK ("size_bytes" = octet_length("content"));
--> statement-breakpoint
-- Documents are mostly PDF and Office files, compressed already: stored out of line without another compression pass.
ALTER TABLE "document_contents" ALTER COLUMN "content" SET STORAGE EXTERNAL;
