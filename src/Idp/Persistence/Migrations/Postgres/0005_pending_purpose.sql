-- Why a pending sign-in exists (sign in, prove an expired device, forced enrollment, add a device, change a key), the
-- session it continues and the sign-in time it keeps. Expand only: an older node's rows read as plain sign-ins.
ALTER TABLE "PendingSignIns" ADD "Purpose" text NOT NULL DEFAULT 'SignIn';
ALTER TABLE "PendingSignIns" ADD "SessionId" text;
ALTER TABLE "PendingSignIns" ADD "AuthTime" timestamp with time zone;
