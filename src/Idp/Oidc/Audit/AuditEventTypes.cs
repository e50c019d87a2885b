namespace Idp.Oidc.Audit;

/// <summary>The kinds of audit events, as stored in AuditEvents.Type.</summary>
public static class AuditEventTypes
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
}
