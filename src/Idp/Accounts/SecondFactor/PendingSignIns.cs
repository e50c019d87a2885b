using Idp.Hosting;
using Idp.Oidc.Tokens;
using Idp.Otp.Options;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// Sign-ins waiting for their code, found through a cookie that holds a random token (protected with data protection;
/// only the token's hash is stored, through <see cref="IPendingSignInStore"/>). Short-lived: <c>Otp:LoginTimeout</c>.
/// </summary>
public sealed class PendingSignIns(IPendingSignInStore store, IDataProtectionProvider dataProtection, IOptionsMonitor<OtpOptions> options, IHostEnvironment environment, IConfiguration configuration, TimeProvider time)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Idp.SecondFactor.Pending.v1");

    private readonly CookieSecurePolicy _securePolicy = CookieSecurity.Policy(environment, configuration);

    private static readonly object EndedMarker = new();

    private string CookieName => CookieSecurity.Name(CookieSecurity.PendingSignInCookie, _securePolicy);

    public async Task<StoredPendingSignIn> CreateAsync(HttpContext context, PendingSignInStart start, CancellationToken cancellationToken)
    {
        var token = TokenHandles.New();
        var now = time.GetUtcNow().UtcDateTime;
        var pending = new StoredPendingSignIn
        {
            Id = TokenHandles.Hash(token),
            UserId = start.UserId,
            ReturnUrl = start.ReturnUrl,
            PriorAmr = start.PriorAmr,
            Purpose = start.Purpose,
            SessionId = start.SessionId,
            AuthTime = start.AuthTime,
            ReplacesDeviceId = start.ReplacesDeviceId,
            CreatedAt = now,
            ExpiresAt = now + options.CurrentValue.LoginTimeout,
        };
        await store.AddAsync(pending, cancellationToken);
        context.Items.Remove(EndedMarker);
        context.Response.Cookies.Append(CookieName, _protector.Protect(token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            // The same rule as the session cookie (a TLS proxy without X-Forwarded-Proto still gets Secure).
            Secure = CookieSecurity.IsSecure(_securePolicy, context.Request),
            Path = "/",
            MaxAge = options.CurrentValue.LoginTimeout,
        });
        return pending;
    }

    /// <summary>The pending sign-in of this browser, or null when there is none, it expired, or the cookie was forged.</summary>
    public async Task<StoredPendingSignIn?> FindAsync(HttpContext context, CancellationToken cancellationToken)
    {
        // Ended earlier in this request: the cookie the browser sent no longer counts (and costs no query).
        if (context.Items.ContainsKey(EndedMarker)
            || !context.Request.Cookies.TryGetValue(CookieName, out var cookie) || cookie.Length > 1024)
        {
            return null;
        }

        string token;
        try
        {
            token = _protector.Unprotect(cookie);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }

        var id = TokenHandles.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        return await store.FindAsync(id, now, cancellationToken);
    }

    /// <summary>
    /// Takes one of this page's <c>Otp:Retries</c> attempts, atomically, before the code is checked: concurrent
    /// submissions on one pending sign-in get at most Retries checks between them. False when none is left.
    /// </summary>
    public Task<bool> TryReserveAttemptAsync(StoredPendingSignIn pending, CancellationToken cancellationToken)
        => store.TryReserveAttemptAsync(pending.Id, options.CurrentValue.Retries, time.GetUtcNow().UtcDateTime, cancellationToken);

    /// <summary>Whether every attempt of this page has been used (the sign-in then starts over).</summary>
    public Task<bool> AttemptsUsedUpAsync(StoredPendingSignIn pending, CancellationToken cancellationToken)
        => store.AttemptsUsedUpAsync(pending.Id, options.CurrentValue.Retries, cancellationToken);

    /// <summary>A proven expired device opens enrollment: the purpose moves on once, for this pending sign-in only.</summary>
    public Task<bool> TryAdvanceAsync(StoredPendingSignIn pending, PendingSignInPurpose from, PendingSignInPurpose to, CancellationToken cancellationToken)
        => store.TryAdvanceAsync(pending.Id, from, to, cancellationToken);

    /// <summary>Stores the factor's enrollment state (the seed offered), once: a second tab sees the first tab's, not a new one.</summary>
    public Task<string> EnsureEnrollmentSecretAsync(string pendingId, string protectedSecret, CancellationToken cancellationToken)
        => store.EnsureEnrollmentSecretAsync(pendingId, protectedSecret, cancellationToken);

    /// <summary>
    /// The first right code of a new credential claims the enrollment, once (the seed is taken off the row): of
    /// several requests sending the same code at once, exactly one goes on to save a device. Only the seed the code
    /// was checked against can be claimed: once claimed, another tab may store a new one on the same row, and a
    /// request that checked the old one must not take the new one in its place.
    /// </summary>
    public Task<bool> TryClaimEnrollmentAsync(string pendingId, string checkedState, CancellationToken cancellationToken)
        => store.TryClaimEnrollmentAsync(pendingId, checkedState, cancellationToken);

    /// <summary>Drops whatever second step this browser had pending (at sign-out, and when someone signs in here).</summary>
    public async Task DiscardAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (await FindAsync(context, cancellationToken) is { } pending)
        {
            await CompleteAsync(context, pending, cancellationToken);
        }
    }

    /// <summary>Ends a pending sign-in; true for exactly one caller.</summary>
    public async Task<bool> CompleteAsync(HttpContext context, StoredPendingSignIn pending, CancellationToken cancellationToken)
    {
        context.Items[EndedMarker] = true;
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/", Secure = CookieSecurity.IsSecure(_securePolicy, context.Request), HttpOnly = true, SameSite = SameSiteMode.Lax });
        return await store.RemoveAsync(pending.Id, cancellationToken);
    }
}
