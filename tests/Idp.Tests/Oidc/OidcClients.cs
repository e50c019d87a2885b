namespace Idp.Tests.Oidc;

/// <summary>The relying parties the OIDC tests configure, as Idp:Clients settings.</summary>
internal static class OidcClients
{
    public const string WebApp = "webapp";
    public const string WebAppSecret = "webapp secret: 0123456789+/=&%";
    public const string WebAppRedirect = "https://rp.test/callback";
    public const string WebAppLoggedOut = "https://rp.test/signed-out";
    public const string Spa = "spa";
    public const string SpaRedirect = "http://127.0.0.1:9999/cb";
    public const string Consenting = "consenting";
    public const string ConsentingRedirect = "https://consent.test/cb";
    public const string Machine = "machine";
    public const string MachineSecret = "machine-secret-0123456789";
    public const string Resource = "resource";
    public const string ResourceSecret = "resource-secret-0123456789";
    public const string Es256 = "es256app";
    public const string Es256Redirect = "https://es.test/cb";
    public const string Shared = "shared-secret-0123456789";

    public static Dictionary<string, string?> Settings() => new()
    {
        ["Idp:Clients:0:ClientId"] = WebApp,
        ["Idp:Clients:0:DisplayName"] = "Web app",
        ["Idp:Clients:0:ClientSecrets:0"] = WebAppSecret,
        ["Idp:Clients:0:RedirectUris:0"] = WebAppRedirect,
        ["Idp:Clients:0:PostLogoutRedirectUris:0"] = WebAppLoggedOut,
        ["Idp:Clients:0:AllowedScopes:0"] = "openid",
        ["Idp:Clients:0:AllowedScopes:1"] = "profile",
        ["Idp:Clients:0:AllowedScopes:2"] = "email",
        ["Idp:Clients:0:AllowedScopes:3"] = "offline_access",
        ["Idp:Clients:0:AllowedGrantTypes:0"] = "authorization_code",
        ["Idp:Clients:0:AllowedGrantTypes:1"] = "refresh_token",

        ["Idp:Clients:1:ClientId"] = Spa,
        ["Idp:Clients:1:RedirectUris:0"] = SpaRedirect,

        ["Idp:Clients:2:ClientId"] = Consenting,
        ["Idp:Clients:2:ClientSecrets:0"] = Shared,
        ["Idp:Clients:2:RedirectUris:0"] = ConsentingRedirect,
        ["Idp:Clients:2:RequireConsent"] = "true",

        ["Idp:Clients:3:ClientId"] = Machine,
        ["Idp:Clients:3:ClientSecrets:0"] = MachineSecret,
        ["Idp:Clients:3:AllowedGrantTypes:0"] = "client_credentials",
        ["Idp:Clients:3:AllowedScopes:0"] = "api:read",
        ["Idp:Clients:3:AllowedScopes:1"] = "api:write",

        ["Idp:Clients:4:ClientId"] = Resource,
        ["Idp:Clients:4:ClientSecrets:0"] = ResourceSecret,
        ["Idp:Clients:4:AllowedGrantTypes:0"] = "client_credentials",
        ["Idp:Clients:4:AllowedScopes:0"] = "api:introspect",
        ["Idp:Clients:4:AllowIntrospection"] = "true",

        ["Idp:Clients:5:ClientId"] = Es256,
        ["Idp:Clients:5:ClientSecrets:0"] = Shared,
        ["Idp:Clients:5:RedirectUris:0"] = Es256Redirect,
        ["Idp:Clients:5:SigningAlgorithm"] = "ES256",
    };

    /// <summary>Adds a client after those already in <paramref name="settings"/>, so no test hard-codes a list index.</summary>
    public static Dictionary<string, string?> AddClient(Dictionary<string, string?> settings, string clientId, params (string Field, string Value)[] fields)
    {
        var index = Enumerable.Range(0, 100).First(i => !settings.ContainsKey($"Idp:Clients:{i}:ClientId"));
        settings[$"Idp:Clients:{index}:ClientId"] = clientId;
        foreach (var (field, value) in fields)
        {
            settings[$"Idp:Clients:{index}:{field}"] = value;
        }

        return settings;
    }
}
