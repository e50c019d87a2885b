using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace Idp.Accounts;

/// <summary>
/// Sign-in sessions in the database, through <see cref="ISessionStore"/>. The cookie carries only the session id,
/// which doubles as the OIDC <c>sid</c>; deleting the row (sign-out, an admin, another node) ends the session
/// everywhere at the next request.
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
        var session = new StoredSession(id, UserIdOf(ticket), now, ExpiryOf(ticket, now), Protect(ticket));
        await WithStoreAsync(store => store.AddAsync(session, CancellationToken.None));
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
        return WithStoreAsync(store => store.RenewAsync(key, userId, bytes, now, expires, CancellationToken.None));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 64)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        byte[]? protectedTicket = null;
        await WithStoreAsync(async store => protectedTicket = await store.FindTicketAsync(key, now, CancellationToken.None));
        if (protectedTicket is null)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect(protectedTicket));
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    public Task RemoveAsync(string key)
        => WithStoreAsync(store => store.RemoveAsync(key, CancellationToken.None));

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

    // A singleton (the cookie handler's options hold it), so each call takes the scoped store from a scope of its own.
    private async Task WithStoreAsync(Func<ISessionStore, Task> action)
    {
        await using var scope = scopes.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<ISessionStore>());
    }
}
