using Idp.Oidc.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Oidc.Tokens;

/// <summary>
/// Reads an id_token_hint (OIDC Core §3.1.2.1, RP-Initiated Logout §2): an ID token we issued, signature and issuer
/// checked; it may have expired (OIDC allows an expired hint), so lifetime is not checked.
/// </summary>
public sealed class IdTokenHintValidator(SigningKeyService keys, TokenFactory tokens)
{
    private readonly JsonWebTokenHandler _handler = new();

    public async Task<JsonWebToken?> ValidateAsync(string? idToken, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(idToken) || idToken.Length > 8192)
        {
            return null;
        }

        var result = await _handler.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = tokens.Issuer,
            ValidateAudience = false,
            ValidateLifetime = false,
            IssuerSigningKeys = await keys.ValidationKeysAsync(cancellationToken),
            ValidTypes = ["JWT"],
        });
        return result.IsValid ? result.SecurityToken as JsonWebToken : null;
    }
}
