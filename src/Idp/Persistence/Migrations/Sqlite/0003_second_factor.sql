-- 0003: the second-factor step: sign-ins waiting for their code, and each user's wrong-code budget. Written for Sqlite.

CREATE TABLE "OtpFailureStates" (
    "UserId" TEXT NOT NULL CONSTRAINT "PK_OtpFailureStates" PRIMARY KEY,
    "Failures" INTEGER NOT NULL,
    "WindowStartedAt" TEXT NOT NULL,
    "LockedUntil" TEXT NULL,
    "Locks" INTEGER NOT NULL,
    CONSTRAINT "FK_OtpFailureStates_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "PendingSignIns" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_PendingSignIns" PRIMARY KEY,
    "UserId" TEXT NOT NULL,
    "ReturnUrl" TEXT NOT NULL,
    "PriorAmr" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "ExpiresAt" TEXT NOT NULL,
    "Failures" INTEGER NOT NULL,
    "EnrollmentSecret" TEXT NULL,
    CONSTRAINT "FK_PendingSignIns_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_PendingSignIns_ExpiresAt" ON "PendingSignIns" ("ExpiresAt");

CREATE INDEX "IX_PendingSignIns_UserId" ON "PendingSignIns" ("UserId");
