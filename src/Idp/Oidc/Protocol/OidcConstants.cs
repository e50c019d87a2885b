namespace Idp.Oidc.Protocol;

internal static class Scopes
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";
    public const string OfflineAccess = "offline_access";

    public static readonly IReadOnlySet<string> Identity = new HashSet<string>(StringComparer.Ordinal) { OpenId, Profile, Email, OfflineAccess };
}

internal static class GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";

    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal) { AuthorizationCode, RefreshToken, ClientCredentials };
}

internal static class SigningAlgorithms
{
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";

    public static readonly IReadOnlyList<string> Supported = [RS256, ES256];
}

/// <summary>RFC 8176 authentication method references.</summary>
internal static class AuthenticationMethods
{
    public const string Password = "pwd";
    public const string OneTimePassword = "otp";
    public const string MultiFactor = "mfa";
}

/// <summary>Claim types the sign-in stamps on a session and the engine reads back.</summary>
internal static class SessionClaims
{
    public const string SessionId = "sid";
    public const string AuthTime = "auth_time";
    public const string Amr = "amr";
}

/// <summary>
/// The default acr values (OIDC Core §2) of Idp's two authentication levels, a password alone or a password and a
/// second factor; a deployment may name them otherwise (<see cref="AcrSettings"/>).
/// </summary>
internal static class AcrValues
{
    public const string Password = "urn:idp:acr:pwd";
    public const string SecondFactor = "urn:idp:acr:mfa";
}
