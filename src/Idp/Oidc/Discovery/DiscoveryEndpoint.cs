using System.Text.Json.Nodes;
using Idp.Hosting;
using Idp.Oidc.Keys;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Microsoft.Extensions.Options;

namespace Idp.Oidc.Discovery;

/// <summary>
/// OIDC Discovery 1.0 §3 metadata, built from the same constants and options that drive the endpoints, so it cannot
/// claim a feature the engine does not have.
/// </summary>
internal static class DiscoveryEndpoint
{
    public static IResult Handle(HttpContext context, DiscoveryDocument document)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Content(document.Json, "application/json; charset=utf-8");
    }

    /// <summary>The metadata, from options fixed at start-up and the issuer: <see cref="DiscoveryDocument"/> builds it once.</summary>
    public static Dictionary<string, object> Build(TokenFactory tokens, SigningKeyService keys, IOptions<IdpOptions> options)
    {
        var issuer = tokens.Issuer;
        var customScopes = options.Value.Clients.SelectMany(c => c.AllowedScopes).Where(s => !Scopes.Identity.Contains(s)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var metadata = new Dictionary<string, object>
        {
            ["issuer"] = issuer,
            ["authorization_endpoint"] = issuer + OidcEndpoints.Authorize,
            ["token_endpoint"] = issuer + OidcEndpoints.Token,
            ["userinfo_endpoint"] = issuer + OidcEndpoints.UserInfo,
            ["jwks_uri"] = issuer + OidcEndpoints.Jwks,
            ["end_session_endpoint"] = issuer + OidcEndpoints.EndSession,
            ["revocation_endpoint"] = issuer + OidcEndpoints.Revocation,
            ["introspection_endpoint"] = issuer + OidcEndpoints.Introspection,
            ["scopes_supported"] = Scopes.Identity.Order(StringComparer.Ordinal).Concat(customScopes).ToArray(),
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "query", "form_post" },
            ["grant_types_supported"] = GrantTypes.Supported.Order(StringComparer.Ordinal).ToArray(),
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" },
            ["revocation_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post", "none" },
            ["introspection_endpoint_auth_methods_supported"] = new[] { "client_secret_basic", "client_secret_post" },
            // Only what signs here: start-up made a key for each of these, so every one has a key in JWKS.
            ["id_token_signing_alg_values_supported"] = keys.AlgorithmsInUse.ToArray(),
            ["subject_types_supported"] = new[] { "public" },
            ["claims_supported"] = UserClaims.Supported.Concat(["iss", "aud", "exp", "iat", "nonce", "at_hash"]).ToArray(),
            ["acr_values_supported"] = options.Value.Acr.Supported().ToArray(),
            ["prompt_values_supported"] = new[] { "none", "login", "consent", "select_account" },
            ["display_values_supported"] = new[] { "page" },
            ["claims_parameter_supported"] = false,
            ["request_parameter_supported"] = false,
            ["request_uri_parameter_supported"] = false,
            ["authorization_response_iss_parameter_supported"] = true,
            ["frontchannel_logout_supported"] = false,
            ["backchannel_logout_supported"] = false,
        };
        return metadata;
    }

    public static async Task<IResult> JwksAsync(HttpContext context, SigningKeyService keys, CancellationToken cancellationToken)
    {
        var published = await keys.PublishedAsync(cancellationToken);
        var jwks = new JsonObject { ["keys"] = new JsonArray([.. published.Select(k => JsonNode.Parse(k.PublicJwk))]) };
        // Short: a relying party refetches on an unknown kid anyway; new keys are published days before they sign.
        context.Response.Headers.CacheControl = "public, max-age=300";
        return Results.Content(jwks.ToJsonString(), "application/json");
    }
}
