-- 0002: the OpenID Connect engine: signing keys, authorization codes, grants, refresh tokens, revoked access
-- tokens, pending authorization requests, consents, and the audit trail. Written for Sqlite.

CREATE TABLE "AuditEvents" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AuditEvents" PRIMARY KEY AUTOINCREMENT,
    "At" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "SubjectUserId" TEXT NULL,
    "ClientId" TEXT NULL,
    "IpAddress" TEXT NULL,
    "Details" TEXT NULL
);

CREATE TABLE "AuthorizationCodes" (
    "CodeHash" TEXT NOT NULL CONSTRAINT "PK_AuthorizationCodes" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "RedirectUri" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "SessionId" TEXT NOT NULL,
    "Scopes" TEXT NOT NULL,
    "CodeChallenge" TEXT NULL,
    "Nonce" TEXT NULL,
    "AuthTime" TEXT NOT NULL,
    "Acr" TEXT NOT NULL,
    "Amr" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "ConsumedAt" TEXT NULL,
    "GrantId" TEXT NULL
);

CREATE TABLE "Grants" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_Grants" PRIMARY KEY,
    "ClientId" TEXT NOT NULL,
    "UserId" TEXT NULL,
    "SessionId" TEXT NULL,
    "CreatedAt" TEXT NOT NULL,
    "RevokedAt" TEXT NULL
);

CREATE TABLE "PendingAuthorizations" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PendingAuthorizations" PRIMARY KEY,
    "Parameters" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL
);

CREATE TABLE "RefreshTokens" (
    "TokenHash" TEXT NOT NULL CONSTRAINT "PK_RefreshTokens" PRIMARY KEY,
    "GrantId" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "SubjectId" TEXT NOT NULL,
    "SessionId" TEXT NOT NULL,
    "Scopes" TEXT NOT NULL,
    "AuthTime" TEXT NOT NULL,
    "Acr" TEXT NOT NULL,
    "Amr" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "ConsumedAt" TEXT NULL
);

CREATE TABLE "RevokedAccessTokens" (
    "Jti" TEXT NOT NULL CONSTRAINT "PK_RevokedAccessTokens" PRIMARY KEY,
    "ExpiresAt" TEXT NOT NULL
);

CREATE TABLE "SigningKeys" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_SigningKeys" PRIMARY KEY,
    "Algorithm" TEXT NOT NULL,
    "ProtectedPrivateKey" TEXT NOT NULL,
    "PublicJwk" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ActivatesAt" TEXT NOT NULL
);

CREATE TABLE "UserConsents" (
    "UserId" TEXT NOT NULL,
    "ClientId" TEXT NOT NULL,
    "Scopes" TEXT NOT NULL,
    "GrantedAt" TEXT NOT NULL,
    CONSTRAINT "PK_UserConsents" PRIMARY KEY ("UserId", "ClientId"),
    CONSTRAINT "FK_UserConsents_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_AuditEvents_At" ON "AuditEvents" ("At");

CREATE INDEX "IX_AuditEvents_SubjectUserId" ON "AuditEvents" ("SubjectUserId");

CREATE INDEX "IX_AuthorizationCodes_ExpiresAt" ON "AuthorizationCodes" ("ExpiresAt");

CREATE INDEX "IX_Grants_SessionId" ON "Grants" ("SessionId");

CREATE INDEX "IX_Grants_UserId" ON "Grants" ("UserId");

CREATE INDEX "IX_PendingAuthorizations_ExpiresAt" ON "PendingAuthorizations" ("ExpiresAt");

CREATE INDEX "IX_RefreshTokens_GrantId" ON "RefreshTokens" ("GrantId");

CREATE INDEX "IX_RefreshTokens_UserId" ON "RefreshTokens" ("UserId");

CREATE INDEX "IX_SigningKeys_ActivatesAt" ON "SigningKeys" ("ActivatesAt");
