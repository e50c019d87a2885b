-- The hardware token pool (see HardwareTokenRecord): tokens imported from PSKC or OATH CSV files.
CREATE TABLE "HardwareTokens" (
    "Serial" TEXT NOT NULL,
    "Type" TEXT NOT NULL,
    "Algorithm" TEXT NOT NULL,
    "Digits" INTEGER NOT NULL,
    "Period" INTEGER NOT NULL,
    "Counter" INTEGER NOT NULL,
    "Drift" INTEGER NOT NULL,
    "LastStep" INTEGER NULL,
    "Secret" TEXT NOT NULL,
    "Manufacturer" TEXT NULL,
    "Issuer" TEXT NULL,
    "Disabled" INTEGER NOT NULL,
    "UserId" TEXT NULL,
    "DeviceId" TEXT NULL,
    "ImportedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    CONSTRAINT "PK_HardwareTokens" PRIMARY KEY ("Serial"),
    CONSTRAINT "FK_HardwareTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL
);

CREATE INDEX "IX_HardwareTokens_UserId" ON "HardwareTokens" ("UserId");

-- tokens enroll: a person asked to register a second factor at their next sign-in (IdpUser.SecondFactorRequestedAt).
ALTER TABLE "AspNetUsers" ADD COLUMN "SecondFactorRequestedAt" TEXT NULL;
