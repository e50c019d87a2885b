using Idp.Oidc.Grants;
using Idp.Oidc.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Oidc.Tokens;

/// <summary>A validated access token of ours, or why it is not one.</summary>
public sealed record AccessTokenValidation(JsonWebToken? Token, string? Error)
{
    public bool IsValid => Token is not null;

    public IReadOnlyList<string> Scopes => Token?.TryGetPayloadValue<string>("scope", out var scope) == true ? scope.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
}

/// <summary>
/// Checks an access token presented to Idp's own resources (userinfo, introspection, the admin API): our signature
/// and issuer, RFC 9068's typ at+jwt, expiry, and that neither the token nor its grant was revoked.
/// </summary>
public sealed class AccessTokenValidator(SigningKeyService keys, TokenFactory tokens, GrantStore grants, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<AccessTokenValidation> ValidateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return new(null, "The access token is missing or malformed.");
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
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return new(null, "The access token is invalid or expired.");
        }

        // Machine tokens (client_credentials) have no grant; user tokens die with theirs.
        var grantId = jwt.TryGetPayloadValue<string>(TokenFactory.GrantIdClaim, out var id) ? id : null;
        if (!await grants.IsAccessTokenUsableAsync(jwt.Id, grantId, cancellationToken))
        {
            return new(null, "The access token has been revoked.");
        }

        return new(jwt, null);
    }
}
