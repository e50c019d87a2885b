-- The user stores' lookup caches (Idp:StoreCache), on each directory person's local record.
ALTER TABLE "AspNetUsers" ADD COLUMN "DirectoryDn" TEXT NULL;
ALTER TABLE "AspNetUsers" ADD COLUMN "DirectoryCheckedAt" TEXT NULL;
