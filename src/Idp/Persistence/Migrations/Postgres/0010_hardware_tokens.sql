-- The hardware token pool (see HardwareTokenRecord): tokens imported from PSKC or OATH CSV files.
CREATE TABLE "HardwareTokens" (
    "Serial" character varying(64) NOT NULL,
    "Type" character varying(8) NOT NULL,
    "Algorithm" character varying(8) NOT NULL,
    "Digits" integer NOT NULL,
    "Period" integer NOT NULL,
    "Counter" bigint NOT NULL,
    "Drift" integer NOT NULL,
    "LastStep" bigint NULL,
    "Secret" text NOT NULL,
    "Manufacturer" character varying(128) NULL,
    "Issuer" character varying(128) NULL,
    "Disabled" boolean NOT NULL,
    "UserId" text NULL,
    "DeviceId" character varying(64) NULL,
    "ImportedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_HardwareTokens" PRIMARY KEY ("Serial"),
    CONSTRAINT "FK_HardwareTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE SET NULL
);

CREATE INDEX "IX_HardwareTokens_UserId" ON "HardwareTokens" ("UserId");

-- tokens enroll: a person asked to register a second factor at their next sign-in (IdpUser.SecondFactorRequestedAt).
ALTER TABLE "AspNetUsers" ADD COLUMN "SecondFactorRequestedAt" timestamp with time zone NULL;
