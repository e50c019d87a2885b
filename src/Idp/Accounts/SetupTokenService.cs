using System.Security.Cryptography;
using System.Text;
using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

public enum SetupTokenState
{
    Valid,

    /// <summary>Never issued (forged or mistyped): 404.</summary>
    Unknown,

    /// <summary>Issued but expired, already used, or an administrator already exists: 410.</summary>
    Gone,
}

/// <summary>
/// The first-administrator link: on an empty database the server prints a random token; only its SHA-256 is stored,
/// it expires after <c>Idp:Setup:TokenLifetime</c>, and consuming it is one conditional update, so it works once.
/// </summary>
public sealed class SetupTokenService(ISetupTokenStore store, UserManager<IdpUser> users, TimeProvider time, IOptions<IdpOptions> options)
{
    public const int TokenBytes = 32;

    public Task<bool> AnyUserExistsAsync(CancellationToken cancellationToken) => store.AnyAccountExistsAsync(cancellationToken);

    /// <summary>Issues a new token and returns it in clear (the only time it exists in clear).</summary>
    public async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(CancellationToken cancellationToken)
    {
        var token = Base64UrlToken();
        var now = time.GetUtcNow();
        var expires = now + options.Value.Setup.TokenLifetime;
        await store.AddAsync(Hash(token), now.UtcDateTime, expires.UtcDateTime, cancellationToken);
        return (token, expires);
    }

    public async Task<SetupTokenState> CheckAsync(string? token, CancellationToken cancellationToken)
    {
        if (!LooksLikeToken(token))
        {
            return SetupTokenState.Unknown;
        }

        var hash = Hash(token!);
        if (await store.FindAsync(hash, cancellationToken) is not { } issued)
        {
            return SetupTokenState.Unknown;
        }

        var usable = issued.UsedAt is null && issued.ExpiresAt > time.GetUtcNow().UtcDateTime && !await AnyUserExistsAsync(cancellationToken);
        return usable ? SetupTokenState.Valid : SetupTokenState.Gone;
    }

    /// <summary>Marks the token used if it still is usable; true for exactly one caller.</summary>
    public async Task<bool> TryConsumeAsync(string token, CancellationToken cancellationToken)
    {
        if (!LooksLikeToken(token))
        {
            return false;
        }

        return await store.TryConsumeAsync(Hash(token), time.GetUtcNow().UtcDateTime, cancellationToken);
    }

    /// <summary>Once an administrator exists, every outstanding link is dead.</summary>
    public Task RetireAllAsync(CancellationToken cancellationToken) => store.RetireAllAsync(time.GetUtcNow().UtcDateTime, cancellationToken);

    public async Task<IdentityResult> CreateFirstAdministratorAsync(string userName, string password, CancellationToken cancellationToken)
    {
        var user = new IdpUser { UserName = userName.Trim(), CreatedAt = time.GetUtcNow().UtcDateTime };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return created;
        }

        await RetireAllAsync(cancellationToken);
        return await users.AddToRoleAsync(user, Roles.Admin);
    }

    private static bool LooksLikeToken(string? token) => token is { Length: > 0 and <= 100 } && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64UrlToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
