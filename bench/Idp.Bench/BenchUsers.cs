using Idp.Otp.Devices;
using Idp.Otp.Secrets;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.Secrets;
using Idp.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Bench;

/// <summary>
/// Users user0..userN-1 for the load benchmarks, each with one TOTP device of the same seed (a step is accepted
/// once per user), all sharing one precomputed password hash so that preparing thousands takes seconds.
/// The hash is made with the server's own hasher options, so a server with cheaper options gets cheaper hashes (and
/// no rehash on the first sign-in).
/// </summary>
internal static class BenchUsers
{
    public static async Task PrepareAsync(IdpServerHost idp, int count, string password, byte[] seed)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var hash = scope.ServiceProvider.GetRequiredService<IPasswordHasher<IdpUser>>().HashPassword(new IdpUser(), password);
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++)
        {
            var user = new IdpUser
            {
                UserName = $"user{i}", NormalizedUserName = $"USER{i}", PasswordHash = hash, SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(), LockoutEnabled = true, CreatedAt = now.UtcDateTime,
            };
            db.Users.Add(user);
            db.SecondFactorDocuments.Add(Document(user.Id, seed, protector, now));
        }

        await db.SaveChangesAsync();
    }

    /// <summary>One TOTP device of the seed for every user of the database without one (directory people, once their records exist).</summary>
    public static async Task GiveDevicesAsync(IdpServerHost idp, byte[] seed)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var now = DateTimeOffset.UtcNow;
        var withDevices = db.SecondFactorDocuments.Select(d => d.UserId);
        foreach (var userId in db.Users.Where(u => !withDevices.Contains(u.Id)).Select(u => u.Id).ToList())
        {
            db.SecondFactorDocuments.Add(Document(userId, seed, protector, now));
        }

        await db.SaveChangesAsync();
    }

    private static SecondFactorDocumentRecord Document(string userId, byte[] seed, SecretProtector protector, DateTimeOffset now)
    {
        var device = new OtpDevice { Id = "d1", Type = OtpDeviceType.Totp, Name = "Phone", Epoch = now.ToUnixTimeSeconds(), Secret = protector.Protect(seed, OtpSecretPurposes.OtpSeed) };
        return new SecondFactorDocumentRecord { UserId = userId, DevicesJson = OtpDeviceJson.Write(OtpDeviceDocument.Empty.Add(device)), Version = 1, UpdatedAt = now.UtcDateTime };
    }
}
