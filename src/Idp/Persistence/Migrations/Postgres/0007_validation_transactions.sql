-- Challenges of the validation API and RADIUS waiting for their code (see ValidationTransaction).
CREATE TABLE "ValidationTransactions" (
    "Id" character varying(64) NOT NULL,
    "UserId" text NOT NULL,
    "Client" character varying(200) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_ValidationTransactions" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_ValidationTransactions_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_ValidationTransactions_ExpiresAt" ON "ValidationTransactions" ("ExpiresAt");

CREATE INDEX "IX_ValidationTransactions_UserId" ON "ValidationTransactions" ("UserId");
