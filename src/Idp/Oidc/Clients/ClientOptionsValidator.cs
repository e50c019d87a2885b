using Idp.Oidc.Protocol;

namespace Idp.Oidc.Clients;

/// <summary>Start-up checks of <c>Idp:Clients</c>; each message names the entry's key (Idp:Clients:0:RedirectUris:1).</summary>
internal static class ClientOptionsValidator
{
    public static void Validate(IReadOnlyList<ClientOptions> clients, AcrSettings acr, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < clients.Count; i++)
        {
            var client = clients[i];
            var key = $"Idp:Clients:{i}";
            if (string.IsNullOrWhiteSpace(client.ClientId) || client.ClientId.Length > 100 || !client.ClientId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
            {
                errors.Add($"{key}:ClientId must be 1 to 100 letters, digits, '-', '_', '.' or ':' (got \"{client.ClientId}\").");
                continue;
            }

            if (!seen.Add(client.ClientId))
            {
                errors.Add($"{key}:ClientId \"{client.ClientId}\" is used by an earlier client.");
            }

            foreach (var grant in client.AllowedGrantTypes.Where(g => !GrantTypes.Supported.Contains(g)))
            {
                errors.Add($"{key}:AllowedGrantTypes: \"{grant}\" is not one of {string.Join(", ", GrantTypes.Supported)}.");
            }

            if (client.IsPublic && !client.RequirePkce)
            {
                errors.Add($"{key}:RequirePkce must be true for a public client (one without ClientSecrets).");
            }

            if (client.IsPublic && client.Allows(GrantTypes.ClientCredentials))
            {
                errors.Add($"{key}:AllowedGrantTypes: client_credentials needs ClientSecrets.");
            }

            if (client.Allows(GrantTypes.AuthorizationCode) && client.RedirectUris.Count == 0)
            {
                errors.Add($"{key}:RedirectUris must list at least one URI for the authorization_code grant.");
            }

            ValidateUris(client.RedirectUris, $"{key}:RedirectUris", errors);
            ValidateUris(client.PostLogoutRedirectUris, $"{key}:PostLogoutRedirectUris", errors);

            for (var s = 0; s < client.ClientSecrets.Count; s++)
            {
                if (ClientSecretVerifier.Problem(client.ClientSecrets[s]) is { } problem)
                {
                    errors.Add($"{key}:ClientSecrets:{s}: {problem}");
                }
            }

            foreach (var scope in client.AllowedScopes.Where(s => string.IsNullOrWhiteSpace(s) || s.Any(c => c is ' ' or '"' or '\\' || c < 0x21 || c > 0x7E)))
            {
                // RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
                errors.Add($"{key}:AllowedScopes: \"{scope}\" is not a valid scope token.");
            }

            if (client.SigningAlgorithm is { Length: > 0 } algorithm && !SigningAlgorithms.Supported.Contains(algorithm))
            {
                errors.Add($"{key}:SigningAlgorithm must be RS256 or ES256 (got \"{algorithm}\").");
            }

            if (client.MinimumAcr is { Length: > 0 } minimum && !acr.Supported().Contains(minimum))
            {
                errors.Add($"{key}:MinimumAcr must be one of the Idp:Acr values {string.Join(", ", acr.Supported())} (got \"{minimum}\").");
            }

            foreach (var (name, value) in new[] { ("AccessTokenLifetime", client.AccessTokenLifetime), ("IdTokenLifetime", client.IdTokenLifetime), ("RefreshTokenLifetime", client.RefreshTokenLifetime) })
            {
                if (value is { } lifetime && (lifetime <= TimeSpan.Zero || lifetime > TimeSpan.FromDays(365)))
                {
                    errors.Add($"{key}:{name} must be more than 0 and at most 365 days (got {lifetime}).");
                }
            }
        }
    }

    private static readonly HashSet<string> ScriptOrLocalSchemes = new(StringComparer.OrdinalIgnoreCase) { "javascript", "data", "file", "vbscript", "blob", "about" };

    private static void ValidateUris(List<string> uris, string key, List<string> errors)
    {
        for (var u = 0; u < uris.Count; u++)
        {
            // RFC 6749 §3.1.2: absolute, no fragment. https, or http on loopback (RFC 8252 §7.3), or a private-use scheme for native apps.
            // On Linux "/path" parses as file:///path, hence the explicit scheme prefix check.
            if (!Uri.TryCreate(uris[u], UriKind.Absolute, out var uri) || uri.IsFile || !uris[u].StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase)
                || !string.IsNullOrEmpty(uri.Fragment) || uris[u].Contains('#', StringComparison.Ordinal))
            {
                errors.Add($"{key}:{u} must be an absolute URI without a fragment (got \"{uris[u]}\").");
            }
            else if (ScriptOrLocalSchemes.Contains(uri.Scheme))
            {
                // A redirect to one of these runs script in, or reads from, the browser that signed in.
                errors.Add($"{key}:{u} must not use the {uri.Scheme}: scheme (got \"{uris[u]}\").");
            }
            else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                errors.Add($"{key}:{u} must use https (http only on a loopback host) (got \"{uris[u]}\").");
            }
        }
    }
}
