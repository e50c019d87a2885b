-- The clean-up of ended grants looks for codes of a grant and for old grants: both need an index, or every run scans.
CREATE INDEX "IX_AuthorizationCodes_GrantId" ON "AuthorizationCodes" ("GrantId");
CREATE INDEX "IX_Grants_CreatedAt" ON "Grants" ("CreatedAt");
