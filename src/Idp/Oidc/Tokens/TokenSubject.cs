namespace Idp.Oidc.Tokens;

/// <summary>Who and what a token speaks for: the authenticated person and how they authenticated, or only a client.</summary>
public sealed record TokenSubject(
    string ClientId,
    string? UserId,
    string Subject,
    IReadOnlyList<string> Scopes,
    string? SessionId,
    DateTime? AuthTime,
    string? Acr,
    IReadOnlyList<string> Amr,
    string? GrantId)
{
    public string ScopeString => string.Join(' ', Scopes);
}
