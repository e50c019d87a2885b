-- People from directory stores (LDAP) keep a local record linked by the store's immutable id (see IdpUser).
ALTER TABLE "AspNetUsers" ADD COLUMN "StoreName" character varying(64) NULL;
ALTER TABLE "AspNetUsers" ADD COLUMN "ExternalId" character varying(256) NULL;
ALTER TABLE "AspNetUsers" ADD COLUMN "DisplayName" character varying(256) NULL;

CREATE UNIQUE INDEX "IX_AspNetUsers_StoreName_ExternalId" ON "AspNetUsers" ("StoreName", "ExternalId");
