-- The user stores' lookup caches (Idp:StoreCache), on each directory person's local record.
ALTER TABLE "AspNetUsers" ADD COLUMN "DirectoryDn" character varying(1024) NULL;
ALTER TABLE "AspNetUsers" ADD COLUMN "DirectoryCheckedAt" timestamp with time zone NULL;
