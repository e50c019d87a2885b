using System.Net;
using Idp.Otp.Abstractions;
using Idp.Otp.Codecs;
using Idp.Otp.Devices;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Tests.Oidc;

namespace Idp.Tests.SecondFactor;

/// <summary>Helpers for the second step: a device with a known seed, codes from it, and walking the pages.</summary>
internal static class SecondFactorScenario
{
    public static readonly byte[] Seed = TestOtp.Seed;

    /// <summary>A user with <see cref="TestUsers.Password"/> on a host started without a scenario (the two-node tests).</summary>
    public static async Task CreateUserAsync(IdpTestHost host, string userName, string password = TestUsers.Password)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>();
        Assert.True((await users.CreateAsync(new Idp.Persistence.Entities.IdpUser { UserName = userName }, password)).Succeeded);
    }

    public static async Task GiveDeviceAsync(IdpTestHost host, string userName, string name = "Phone")
    {
        await using var scope = host.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>().FindByNameAsync(userName))!;
        var store = scope.ServiceProvider.GetRequiredService<IOtpDeviceStore>();
        var stored = await store.LoadAsync(user.Id, CancellationToken.None);
        var device = new OtpDevice
        {
            Id = Guid.NewGuid().ToString("N"),
            Type = OtpDeviceType.Totp,
            Name = name,
            Epoch = host.Time.GetUtcNow().ToUnixTimeSeconds(),
            Secret = scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect(Seed, OtpSecretPurposes.OtpSeed),
        };
        Assert.True(await store.TryReplaceAsync(user.Id, stored.Document.Add(device), stored.Version, CancellationToken.None));
    }

    public static string CodeAt(IdpTestHost host, byte[]? seed = null, int stepOffset = 0)
        => TestOtp.CodeAt(host.Time.GetUtcNow().AddSeconds(30 * stepOffset), seed);

    public static async Task<IReadOnlyList<OtpDevice>> DevicesOfAsync(IdpTestHost host, string userName)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var user = (await scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Idp.Persistence.Entities.IdpUser>>().FindByNameAsync(userName))!;
        return (await scope.ServiceProvider.GetRequiredService<IOtpDeviceStore>().LoadAsync(user.Id, CancellationToken.None)).Document.Devices;
    }

    /// <summary>The key the enrollment page prints in groups of four, as a person would type it.</summary>
    public static async Task<byte[]> ReadOfferedKeyAsync(HttpClient browser)
    {
        var page = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa/enroll"));
        Assert.True(Base32.TryDecode(page.QuerySelector("#secret-key")!.TextContent, out var seed));
        return seed;
    }

    /// <summary>The code page's form as the person has it on screen (antiforgery token included), filled with <paramref name="code"/>.</summary>
    public static async Task<Dictionary<string, string>> CodeFormAsync(HttpClient browser, string code)
        => HtmlForm.Fields(await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa")), new Dictionary<string, string> { ["Code"] = code });

    public static Task<HttpResponseMessage> SubmitCodeAsync(HttpClient browser, string code)
        => HtmlForm.SubmitAsync(browser, "/account/2fa", new Dictionary<string, string> { ["Code"] = code });

    /// <summary>Follows redirects inside Idp and returns the first response that is not a redirect, or one that leaves Idp.</summary>
    public static async Task<HttpResponseMessage> FollowAsync(HttpClient browser, HttpResponseMessage response)
    {
        for (var hops = 0; hops < 10 && response.StatusCode == HttpStatusCode.Redirect; hops++)
        {
            var next = new Uri(new Uri(IdpTestHost.BaseUrl), response.Headers.Location!);
            if (next.Host != new Uri(IdpTestHost.BaseUrl).Host)
            {
                return response;
            }

            response = await browser.GetAsync(next.PathAndQuery);
        }

        return response;
    }

    public static Dictionary<string, string?> Settings(params (string Key, string Value)[] extra)
    {
        var settings = OidcClients.AddClient(OidcClients.Settings(), "payroll", ("ClientSecrets:0", OidcClients.Shared), ("RedirectUris:0", "https://payroll.test/cb"), ("RequireSecondFactor", "true"));
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        return settings;
    }
}
