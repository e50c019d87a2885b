-- Challenges of the validation API and RADIUS waiting for their code (see ValidationTransaction).
CREATE TABLE "ValidationTransactions" (
    "Id" TEXT NOT NULL,
    "UserId" TEXT NOT NULL,
    "Client" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    CONSTRAINT "PK_ValidationTransactions" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ValidationTransactions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ValidationTransactions_ExpiresAt" ON "ValidationTransactions" ("ExpiresAt");

CREATE INDEX "IX_ValidationTransactions_UserId" ON "ValidationTransactions" ("UserId");
