namespace Idp.Oidc.Tokens;

/// <summary><c>Idp:Tokens</c>: what the OIDC engine issues and how long each lasts.</summary>
public sealed class TokenSettings
{
    /// <summary>RS256 (every client library) or ES256 (faster); a client may choose its own.</summary>
    public string SigningAlgorithm { get; set; } = "RS256";

    /// <summary>RFC 6749 §4.1.2 recommends at most 10 minutes; one is plenty for a redirect.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan IdTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a sign-in started by an app may take (password, second factor, consent) before it must start over.</summary>
    public TimeSpan InteractionLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A new signing key is made this often.</summary>
    public TimeSpan KeyRotationInterval { get; set; } = TimeSpan.FromDays(30);

    /// <summary>A new key is published in JWKS this long before it signs, so relying parties have it cached.</summary>
    public TimeSpan KeyPublishAhead { get; set; } = TimeSpan.FromDays(2);
}
