-- People from directory stores (LDAP) keep a local record linked by the store's immutable id (see IdpUser).
ALTER TABLE "AspNetUsers" ADD COLUMN "StoreName" TEXT NULL;
ALTER TABLE "AspNetUsers" ADD COLUMN "ExternalId" TEXT NULL;
ALTER TABLE "AspNetUsers" ADD COLUMN "DisplayName" TEXT NULL;

CREATE UNIQUE INDEX "IX_AspNetUsers_StoreName_ExternalId" ON "AspNetUsers" ("StoreName", "ExternalId");
