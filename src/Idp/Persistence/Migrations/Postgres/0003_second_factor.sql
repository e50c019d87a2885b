-- 0003: the second-factor step: sign-ins waiting for their code, and each user's wrong-code budget. Written for Postgres.

CREATE TABLE "OtpFailureStates" (
    "UserId" text NOT NULL,
    "Failures" integer NOT NULL,
    "WindowStartedAt" timestamp with time zone NOT NULL,
    "LockedUntil" timestamp with time zone,
    "Locks" integer NOT NULL,
    CONSTRAINT "PK_OtpFailureStates" PRIMARY KEY ("UserId"),
    CONSTRAINT "FK_OtpFailureStates_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "PendingSignIns" (
    "Id" character varying(64) NOT NULL,
    "UserId" text NOT NULL,
    "ReturnUrl" text NOT NULL,
    "PriorAmr" text NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "Failures" integer NOT NULL,
    "EnrollmentSecret" text,
    CONSTRAINT "PK_PendingSignIns" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_PendingSignIns_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_PendingSignIns_ExpiresAt" ON "PendingSignIns" ("ExpiresAt");

CREATE INDEX "IX_PendingSignIns_UserId" ON "PendingSignIns" ("UserId");
