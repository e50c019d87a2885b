using Idp.Oidc.Protocol;

namespace Idp.Oidc.Clients;

/// <summary>
/// One relying party, from the <c>Idp:Clients</c> array (or Idp__Clients__0__ClientId=… in the environment).
/// A client without ClientSecrets is public and must use PKCE.
/// </summary>
public sealed class ClientOptions
{
    public string ClientId { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    /// <summary>Plain secrets, or "sha256:" + Base64 of the secret's SHA-256 to keep plain secrets out of configuration.</summary>
    public List<string> ClientSecrets { get; set; } = [];

    /// <summary>Exact redirect URIs (RFC 6749 §3.1.2: compared as strings, no wildcards).</summary>
    public List<string> RedirectUris { get; set; } = [];

    public List<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>
    /// openid, profile, email, offline_access, and any API scope this client may ask for (e.g. api:read).
    /// Empty: <see cref="DefaultScopes"/>. (The configuration binder appends to a pre-filled list, so defaults are
    /// applied after binding, in <see cref="ApplyDefaults"/>.)
    /// </summary>
    public List<string> AllowedScopes { get; set; } = [];

    /// <summary>authorization_code, refresh_token, client_credentials. Empty: authorization_code.</summary>
    public List<string> AllowedGrantTypes { get; set; } = [];

    public static IReadOnlyList<string> DefaultScopes { get; } = [Scopes.OpenId, Scopes.Profile, Scopes.Email];

    public bool RequirePkce { get; set; } = true;

    /// <summary>Show a consent page before the first sign-in to this client. Clients the administrator configured are trusted by default.</summary>
    public bool RequireConsent { get; set; }

    /// <summary>Users of this client must pass the second factor (LemonLDAP::NG's per-application authentication level).</summary>
    public bool RequireSecondFactor { get; set; }

    /// <summary>Least acr this client accepts (urn:idp:acr:pwd or urn:idp:acr:mfa); empty for none.</summary>
    public string? MinimumAcr { get; set; }

    /// <summary>May introspect tokens issued to other clients (a resource server); otherwise only its own.</summary>
    public bool AllowIntrospection { get; set; }

    /// <summary>RS256 or ES256; empty: Idp:Tokens:SigningAlgorithm.</summary>
    public string? SigningAlgorithm { get; set; }

    public TimeSpan? AccessTokenLifetime { get; set; }

    public TimeSpan? IdTokenLifetime { get; set; }

    public TimeSpan? RefreshTokenLifetime { get; set; }

    public bool IsPublic => ClientSecrets.Count == 0;

    public void ApplyDefaults()
    {
        if (AllowedScopes.Count == 0)
        {
            AllowedScopes.AddRange(DefaultScopes);
        }

        if (AllowedGrantTypes.Count == 0)
        {
            AllowedGrantTypes.Add(GrantTypes.AuthorizationCode);
        }
    }

    /// <summary>
    /// The request needs the second factor: this client demands it (RequireSecondFactor, or a minimum acr of mfa), or
    /// the request asks for it with acr_values (step-up).
    /// </summary>
    public bool DemandsSecondFactor(IEnumerable<string> acrValues, AcrSettings acr)
        => RequireSecondFactor || MinimumAcr == acr.SecondFactor || acrValues.Contains(acr.SecondFactor, StringComparer.Ordinal);

    public bool Allows(string grantType) => AllowedGrantTypes.Contains(grantType, StringComparer.Ordinal);
}
