using System.Text;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Clients;

/// <summary>The outcome of client authentication at the token, revocation and introspection endpoints.</summary>
internal sealed record ClientAuthentication(ClientOptions? Client, OidcError? Error, bool UsedBasic)
{
    public bool Succeeded => Client is not null && Error is null;
}

/// <summary>
/// client_secret_basic (RFC 6749 §2.3.1: id and secret form-url-encoded, then Basic), client_secret_post, and
/// none for public clients. Using two methods at once is refused (RFC 6749 §2.3).
/// </summary>
internal sealed class ClientAuthenticator(ClientRegistry clients)
{
    public ClientAuthentication Authenticate(HttpRequest request, ProtocolParameters form)
    {
        var header = request.Headers.Authorization.ToString();
        var basic = header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        if (basic && (form.Has("client_secret") || (form["client_id"] is { } formId && !string.IsNullOrEmpty(formId) && !BasicIdMatches(header, formId))))
        {
            return new(null, OidcErrors.MultipleClientAuthentications(), true);
        }

        if (basic)
        {
            if (!TryParseBasic(header, out var id, out var secret))
            {
                return new(null, OidcErrors.InvalidClient().WithDetail("malformed Basic header"), true);
            }

            var client = clients.Find(id);
            return client is not null && !client.IsPublic && ClientSecretVerifier.Matches(client, secret)
                ? new(client, null, true)
                : new(null, OidcErrors.InvalidClient().WithDetail($"Basic authentication failed for \"{Truncate(id)}\""), true);
        }

        var clientId = form["client_id"];
        var found = clients.Find(clientId);
        if (found is null)
        {
            return new(null, OidcErrors.InvalidClient().WithDetail(clientId is null ? "no client_id" : $"unknown client \"{Truncate(clientId)}\""), false);
        }

        if (found.IsPublic)
        {
            // A public client has no secret to present; one that sends a secret anyway is refused rather than ignored.
            return form.Has("client_secret") ? new(null, OidcErrors.InvalidClient().WithDetail("secret sent for a public client"), false) : new(found, null, false);
        }

        return ClientSecretVerifier.Matches(found, form["client_secret"])
            ? new(found, null, false)
            : new(null, OidcErrors.InvalidClient().WithDetail($"client_secret_post failed for \"{found.ClientId}\""), false);
    }

    /// <summary>The client a request says it comes from (the form's client_id, else the Basic user), authenticated or not.</summary>
    public static string? ClaimedClientId(HttpRequest request, ProtocolParameters form)
    {
        var header = request.Headers.Authorization.ToString();
        return form["client_id"] ?? (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && TryParseBasic(header, out var id, out _) ? id : null);
    }

    private static bool BasicIdMatches(string header, string formId) => TryParseBasic(header, out var id, out _) && id == formId;

    private static bool TryParseBasic(string header, out string id, out string secret)
    {
        id = secret = string.Empty;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return false;
            }

            // RFC 6749 §2.3.1: both parts are application/x-www-form-urlencoded before Base64.
            id = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string Truncate(string value) => value.Length > 64 ? value[..64] : value;

    /// <summary>RFC 6749 §5.2: a 401 after Basic authentication carries a Basic challenge.</summary>
    public const string BasicChallenge = "Basic realm=\"idp\", charset=\"UTF-8\"";
}
