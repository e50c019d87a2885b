using Idp.Oidc.Tokens;
using Idp.Otp.Options;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Accounts.SecondFactor;

/// <summary>
/// Sign-ins waiting for their code, in the database, found through a cookie that holds a random token (protected
/// with data protection; only the token's hash is stored). Short-lived: <c>Otp:LoginTimeout</c>.
/// </summary>
public sealed class PendingSignInStore(IdpDbContext db, IDataProtectionProvider dataProtection, IOptionsMonitor<OtpOptions> options, TimeProvider time)
{
    public const string CookieName = "idp.2fa";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Idp.SecondFactor.Pending.v1");

    public async Task<PendingSignIn> CreateAsync(HttpContext context, string userId, string returnUrl, string priorAmr, CancellationToken cancellationToken, string? replacesDeviceId = null)
    {
        var token = TokenHandles.New();
        var now = time.GetUtcNow().UtcDateTime;
        // One pending sign-in per user and browser flow: an older one for the same user is dropped.
        await db.PendingSignIns.Where(p => p.UserId == userId && p.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var pending = new PendingSignIn
        {
            Id = TokenHandles.Hash(token),
            UserId = userId,
            ReturnUrl = returnUrl,
            PriorAmr = priorAmr,
            ReplacesDeviceId = replacesDeviceId,
            CreatedAt = now,
            ExpiresAt = now + options.CurrentValue.LoginTimeout,
        };
        db.PendingSignIns.Add(pending);
        await db.SaveChangesAsync(cancellationToken);
        context.Response.Cookies.Append(CookieName, _protector.Protect(token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = context.Request.IsHttps,
            Path = "/account",
            MaxAge = options.CurrentValue.LoginTimeout,
        });
        return pending;
    }

    /// <summary>The pending sign-in of this browser, or null when there is none, it expired, or the cookie was forged.</summary>
    public async Task<PendingSignIn?> FindAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || cookie.Length > 1024)
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
        return await db.PendingSignIns.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Counts a wrong code atomically and returns the new count.</summary>
    public async Task<int> RecordFailureAsync(PendingSignIn pending, CancellationToken cancellationToken)
    {
        await db.PendingSignIns.Where(p => p.Id == pending.Id).ExecuteUpdateAsync(p => p.SetProperty(x => x.Failures, x => x.Failures + 1), cancellationToken);
        return await db.PendingSignIns.Where(p => p.Id == pending.Id).Select(p => p.Failures).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>Stores the seed offered for enrollment, once: a second tab sees the first tab's seed, not a new one.</summary>
    public async Task<string> EnsureEnrollmentSecretAsync(PendingSignIn pending, string protectedSecret, CancellationToken cancellationToken)
    {
        await db.PendingSignIns.Where(p => p.Id == pending.Id && p.EnrollmentSecret == null)
            .ExecuteUpdateAsync(p => p.SetProperty(x => x.EnrollmentSecret, protectedSecret), cancellationToken);
        return (await db.PendingSignIns.Where(p => p.Id == pending.Id).Select(p => p.EnrollmentSecret).FirstAsync(cancellationToken))!;
    }

    /// <summary>Ends a pending sign-in; true for exactly one caller.</summary>
    public async Task<bool> CompleteAsync(HttpContext context, PendingSignIn pending, CancellationToken cancellationToken)
    {
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/account" });
        return await db.PendingSignIns.Where(p => p.Id == pending.Id).ExecuteDeleteAsync(cancellationToken) == 1;
    }
}
