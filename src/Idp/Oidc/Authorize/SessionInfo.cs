using System.Globalization;
using System.Security.Claims;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Authorize;

/// <summary>What the sign-in stamped on the browser's session: who, when, and how (RFC 8176 amr, and the acr it implies).</summary>
public sealed record SessionInfo(string UserId, string SessionId, DateTime AuthTime, IReadOnlyList<string> Amr)
{
    /// <summary>
    /// The session passed a second factor, whichever kind (level 2; its acr value is configured, <see cref="AcrSettings"/>):
    /// RFC 8176 "mfa", never one factor's own amr value.
    /// </summary>
    public bool HasSecondFactor => Amr.Contains(AuthenticationMethods.MultiFactor);

    public static SessionInfo? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true
            || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } userId
            || user.FindFirstValue(SessionClaims.SessionId) is not { } sessionId
            || !long.TryParse(user.FindFirstValue(SessionClaims.AuthTime), NumberStyles.None, CultureInfo.InvariantCulture, out var authTime))
        {
            return null;
        }

        var amr = user.FindAll(SessionClaims.Amr).Select(c => c.Value).Distinct(StringComparer.Ordinal).ToList();
        return new SessionInfo(userId, sessionId, DateTimeOffset.FromUnixTimeSeconds(authTime).UtcDateTime, amr);
    }
}
