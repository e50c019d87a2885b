-- Otp:UserCanChangeKey: an enrollment may give an existing device a new key.
ALTER TABLE "PendingSignIns" ADD "ReplacesDeviceId" TEXT NULL;
