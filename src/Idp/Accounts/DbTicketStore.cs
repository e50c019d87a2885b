using System.Security.Claims;
using System.Security.Cryptography;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Idp.Accounts;

/// <summary>
/// Sign-in sessions in the database. The cookie carries only the session id, which doubles as the OIDC <c>sid</c>;
/// deleting the row (sign-out, an admin, another node) ends the session everywhere at the next request.
/// </summary>
internal sealed class DbTicketStore(IServiceScopeFactory scopes, IDataProtectionProvider dataProtection, TimeProvider time) : ITicketStore
{
    public const string SessionIdClaim = "sid";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("Idp.Sessions.Ticket.v1");

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        StampSessionId(ticket, id);
        var now = time.GetUtcNow().UtcDateTime;
        await WithDbAsync(async db =>
        {
            db.UserSessions.Add(new UserSession
            {
                Id = id,
                UserId = UserIdOf(ticket),
                CreatedAt = now,
                LastSeenAt = now,
                ExpiresAt = ExpiryOf(ticket, now),
                Ticket = Protect(ticket),
            });
            await db.SaveChangesAsync();
        });
        return id;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        // Sliding expiry and the security-stamp refresh renew a session in place. A sign-in never does (see
        // SignInCompletion), and a ticket for another user than the row's is refused: the row is left as it was.
        StampSessionId(ticket, key);
        var now = time.GetUtcNow().UtcDateTime;
        var bytes = Protect(ticket);
        var expires = ExpiryOf(ticket, now);
        var userId = UserIdOf(ticket);
        // Only an existing session is renewed: one ended elsewhere stays ended.
        return WithDbAsync(db => db.UserSessions.Where(s => s.Id == key && s.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, bytes).SetProperty(x => x.LastSeenAt, now).SetProperty(x => x.ExpiresAt, expires)));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 64)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        UserSession? session = null;
        await WithDbAsync(async db => session = await db.UserSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == key && s.ExpiresAt > now));
        if (session is null)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(session.Ticket));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public Task RemoveAsync(string key)
        => WithDbAsync(db => db.UserSessions.Where(s => s.Id == key).ExecuteDeleteAsync());

    private static void StampSessionId(AuthenticationTicket ticket, string id)
    {
        if (ticket.Principal.Identity is ClaimsIdentity identity)
        {
            foreach (var old in identity.FindAll(SessionIdClaim).ToList())
            {
                identity.RemoveClaim(old);
            }

            identity.AddClaim(new Claim(SessionIdClaim, id));
        }
    }

    private static string UserIdOf(AuthenticationTicket ticket)
        => ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("a session needs a user id");

    private static DateTime ExpiryOf(AuthenticationTicket ticket, DateTime now)
        => ticket.Properties.ExpiresUtc?.UtcDateTime ?? now.AddHours(8);

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    private async Task WithDbAsync(Func<IdpDbContext, Task> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<IdpDbContext>());
    }
}
