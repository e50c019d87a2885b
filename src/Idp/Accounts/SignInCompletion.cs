using System.Globalization;
using System.Security.Claims;
using Idp.Hosting;
using Idp.Oidc.Protocol;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Idp.Accounts;

/// <summary>
/// The one place where a sign-in completes: with the password alone, after the second factor, and after step-up.
/// Every completion gets a new session id (OWASP ASVS V3.2.1, "renew the session id after any privilege level
/// change"): the browser's previous session row is deleted, and the ticket is stored under a fresh key, never under
/// a cookie value that existed before. The session says how and when the person authenticated (RFC 8176 amr,
/// OIDC Core §2 auth_time), which the tokens repeat.
/// </summary>
public sealed class SignInCompletion(SignInManager<IdpUser> signInManager, SecondFactor.PendingSignIns pendingSignIns, ISessionStore sessions, IAuthenticationSchemeProvider schemes, IHostEnvironment environment, IConfiguration configuration)
{
    public async Task SignInAsync(HttpContext context, IdpUser user, IEnumerable<string> amr, DateTimeOffset authTime, CancellationToken cancellationToken)
    {
        // Whatever session this browser had (the same person's, someone else's, or a planted one) ends here, and so
        // does any second step left pending in it (someone else's half-finished sign-in at a shared browser).
        if (context.User.FindFirstValue(SessionClaims.SessionId) is { Length: > 0 } previous)
        {
            await sessions.RemoveAsync(previous, cancellationToken);
        }

        await pendingSignIns.DiscardAsync(context, cancellationToken);

        // The request's own cookie handler may have decided to renew the old session (sliding expiry, the
        // security-stamp check) and would write the old key after ours: signing out through it stops that.
        var sessionCookie = CookieSecurity.Name(CookieSecurity.SessionCookie, CookieSecurity.Policy(environment, configuration));
        if (context.Request.Cookies.ContainsKey(sessionCookie))
        {
            await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        }

        var principal = await signInManager.CreateUserPrincipalAsync(user);
        var identity = principal.Identities.First();
        foreach (var method in amr.Distinct(StringComparer.Ordinal))
        {
            identity.AddClaim(new Claim(SessionClaims.Amr, method));
        }

        identity.AddClaim(new Claim(SessionClaims.AuthTime, authTime.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));

        // The cookie handler of this request has already read the session cookie and would renew that key instead
        // of storing a new one. A handler of its own, on a request without that cookie, stores a new session.
        HideSessionCookie(context.Request, sessionCookie);
        var scheme = await schemes.GetSchemeAsync(IdentityConstants.ApplicationScheme) ?? throw new InvalidOperationException("the Identity cookie scheme is not registered");
        var handler = (IAuthenticationSignInHandler)ActivatorUtilities.CreateInstance(context.RequestServices, scheme.HandlerType);
        await handler.InitializeAsync(scheme, context);
        await handler.SignInAsync(principal, new AuthenticationProperties { IsPersistent = false });
        context.User = principal;
    }

    private static void HideSessionCookie(HttpRequest request, string name)
    {
        if (!request.Cookies.ContainsKey(name))
        {
            return;
        }

        // Chunked cookies ("name", "nameC1", ...) are all the session cookie's; the others are kept as sent.
        var kept = request.Headers.Cookie.SelectMany(h => (h ?? string.Empty).Split(';'))
            .Select(pair => pair.Trim())
            .Where(pair => pair.Length > 0 && !pair.StartsWith(name, StringComparison.Ordinal));
        request.Headers.Cookie = string.Join("; ", kept);
    }
}
