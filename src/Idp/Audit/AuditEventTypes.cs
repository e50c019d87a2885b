namespace Idp.Audit;

/// <summary>The kinds of audit events, as stored in AuditEvents.Type.</summary>
internal static class AuditEventTypes
{
    public const string CodeIssued = "oidc.code_issued";
    public const string TokenIssued = "oidc.token_issued";
    public const string TokenRevoked = "oidc.token_revoked";
    public const string GrantRevoked = "oidc.grant_revoked";
    public const string CodeReused = "oidc.code_reused";
    public const string RefreshTokenReused = "oidc.refresh_token_reused";
    public const string ProtocolError = "oidc.protocol_error";
    public const string Logout = "oidc.logout";
    public const string SigningKeyCreated = "oidc.signing_key_created";

    public const string SignInSucceeded = "signin.success";
    public const string SignInFailed = "signin.failure";
    public const string SignInLockedOut = "signin.locked_out";

    // User stores (Idp:Stores): a directory person's local record.
    public const string StoreLinked = "store.linked";
    public const string StoreUpdated = "store.updated";
    public const string StoreConflict = "store.conflict";
    public const string StoreRolesChanged = "store.roles";
    public const string StoreCacheFlushed = "store.cache_flushed";

    public const string OtpSucceeded = "otp.success";
    public const string OtpFailed = "otp.failure";
    public const string OtpReplayed = "otp.replay";
    public const string OtpLocked = "otp.locked";

    /// <summary>An attempt refused unchecked: the second factor is locked or the page's attempts are spent.</summary>
    public const string OtpRefused = "otp.refused";
    public const string OtpUnlocked = "otp.unlocked";
    public const string DeviceEnrolled = "otp.enrolled";
    public const string DeviceAdded = "otp.added";
    public const string DeviceImported = "otp.imported";
    public const string DeviceRenamed = "otp.renamed";
    public const string DeviceRemoved = "otp.removed";
    public const string DevicesExported = "otp.exported";
    public const string DeviceKeyShown = "otp.key_shown";
    public const string DeviceKeyChanged = "otp.key_changed";

    // The hardware token pool (PSKC, OATH CSV): the serial is in Details.
    public const string TokensImported = "token.imported";
    public const string TokenAssigned = "token.assigned";
    public const string TokenUnassigned = "token.unassigned";
    public const string TokenEnabled = "token.enabled";
    public const string TokenDisabled = "token.disabled";
    public const string TokenDeleted = "token.deleted";
    public const string TokenResynced = "token.resynced";
    public const string TokenResyncRefused = "token.resync_refused";
    public const string TokensExported = "token.exported";
    public const string EnrollmentsRequested = "token.enroll_requested";

    // The validation API and RADIUS (LinOTP/privacyIDEA /validate/check, RFC 2865): the channel and client are in Details.
    public const string ValidationAccepted = "validate.accept";
    public const string ValidationRejected = "validate.reject";
    public const string ValidationChallenged = "validate.challenge";
    public const string ValidationPassthru = "validate.passthru";
    public const string ValidationClientRefused = "validate.client_refused";

    public const string AccountLocked = "admin.account_locked";
    public const string AccountUnlocked = "admin.account_unlocked";
    public const string SessionsEnded = "admin.sessions_ended";
    public const string AccountCreated = "admin.account_created";
    public const string PasswordSet = "admin.password_set";
    public const string AccountDeleted = "admin.account_deleted";
    public const string BackupTaken = "admin.backup";
    public const string BackupRestored = "admin.restore";
}
