using Idp.Oidc.Grants;
using Idp.Oidc.Keys;
using Idp.Persistence.Entities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Oidc.Tokens;

/// <summary>A validated access token of ours, or why it is not one.</summary>
internal sealed record AccessTokenValidation(JsonWebToken? Token, string? Error)
{
    public bool IsValid => Token is not null;

    public IReadOnlyList<string> Scopes => Token?.TryGetPayloadValue<string>("scope", out var scope) == true ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
}

/// <summary>
/// Checks an access token presented to Idp's own resources (userinfo, introspection, the admin API): our signature
/// and issuer, RFC 9068's typ at+jwt, expiry, and that neither the token nor its grant was revoked.
/// </summary>
internal sealed class AccessTokenValidator(SigningKeyService keys, TokenFactory tokens, IGrantStore grants, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<AccessTokenValidation> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (await VerifySignatureAsync(token, cancellationToken) is not { } jwt)
        {
            return new(null, InvalidOrExpired);
        }

        return await grants.IsAccessTokenUsableAsync(jwt.Id, GrantIdOf(jwt), cancellationToken)
            ? new(jwt, null)
            : new(null, Revoked);
    }

    /// <summary>
    /// The same checks, and the user the token was issued for, in one database round trip (userinfo). The user is
    /// null when the token is not valid, or is valid but its user is gone.
    /// </summary>
    public async Task<(AccessTokenValidation Validation, TokenUser? User)> ValidateWithUserAsync(string? token, CancellationToken cancellationToken)
    {
        if (await VerifySignatureAsync(token, cancellationToken) is not { } jwt)
        {
            return (new(null, InvalidOrExpired), null);
        }

        var found = await grants.FindAccessTokenUserAsync(jwt.Subject, jwt.Id, GrantIdOf(jwt), cancellationToken);
        if (found.Revoked)
        {
            return (new(null, Revoked), null);
        }

        return (new(jwt, null), found.User);
    }

    private const string InvalidOrExpired = "The access token is invalid or expired.";
    private const string Revoked = "The access token has been revoked.";

    // Machine tokens (client_credentials) have no grant; user tokens die with theirs.
    private static string? GrantIdOf(JsonWebToken jwt) => jwt.TryGetPayloadValue<string>(TokenFactory.GrantIdClaim, out var id) ? id : null;

    private async Task<JsonWebToken?> VerifySignatureAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = tokens.Issuer,
            ValidAudience = tokens.Issuer,
            IssuerSigningKeys = await keys.ValidationKeysAsync(cancellationToken),
            ValidTypes = [TokenFactory.AccessTokenType],
            ClockSkew = TimeSpan.FromSeconds(30),
            LifetimeValidator = (notBefore, expires, _, _) => expires is { } e && e > time.GetUtcNow().UtcDateTime && (notBefore is null || notBefore <= time.GetUtcNow().UtcDateTime.AddSeconds(30)),
        });
        return result.IsValid ? result.SecurityToken as JsonWebToken : null;
    }
}
