using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Secrets;
using Idp.Persistence.Entities;
using Idp.Secrets;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Browser.Tests;

/// <summary>People the stories start with: a password, perhaps the admin role, perhaps a phone holding RFC 6238's test key.</summary>
internal static class BrowserUsers
{
    public const string Password = "a long enough passphrase";

    public static async Task CreateAsync(IdpServerHost server, string userName, bool admin = false, bool phone = false)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var user = new IdpUser { UserName = userName };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        if (admin)
        {
            Assert.True((await users.AddToRoleAsync(user, "admin")).Succeeded);
        }

        if (phone)
        {
            var device = new OtpDevice
            {
                Id = Guid.NewGuid().ToString("N"),
                Type = OtpDeviceType.Totp,
                Name = "Phone",
                Epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                Secret = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect(TestOtp.Seed, OtpSecretPurposes.OtpSeed),
            };
            Assert.True(await scope.ServiceProvider.GetRequiredService<IOtpDeviceStore>().TryReplaceAsync(user.Id, OtpDeviceDocument.Empty.Add(device), 0, CancellationToken.None));
        }
    }
}
