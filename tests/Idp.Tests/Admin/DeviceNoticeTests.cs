using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Idp.Otp.Codecs;
using Idp.Tests.Oidc;

namespace Idp.Tests.Admin;

/// <summary>Idp:Mail: a user with an e-mail address hears of every change to their devices; one without does not.</summary>
public sealed class DeviceNoticeTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task DeviceAddedAndRemoved_TheOwnerGetsANoticeForEach(DatabaseKind kind)
    {
        var pickup = Directory.CreateTempSubdirectory("idp-mail-").FullName;
        await using var oidc = await AdminScenario.StartAsync(kind, ("Idp:Mail:PickupDirectory", pickup), ("Idp:Mail:From", "idp@example.test"));
        var api = oidc.Host.CreateBrowser();
        var token = await OidcScenario.JsonAsync(await oidc.TokenAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "idp:admin" }, (AdminScenario.ApiClient, AdminScenario.ApiSecret)));
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        var before = Directory.GetFiles(pickup).Length;

        await api.PostAsync("/api/admin/users/alice/devices", new StringContent(JsonSerializer.Serialize(new { name = "Tablet", secret = Base32.Encode("abcdefghijklmnopqrst"u8) }), Encoding.UTF8, "application/json"));
        await api.DeleteAsync("/api/admin/users/alice/devices/Tablet?reason=lost");
        await api.DeleteAsync($"/api/admin/users/{AdminScenario.AdminName}/otp-lock");
        var messages = await WaitForAsync(pickup, before + 2);

        Assert.Equal(2, messages.Count - before);
        Assert.All(messages, m => Assert.Contains("To: alice@example.com", m, StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("registered", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("removed", StringComparison.Ordinal));
        Assert.All(messages, m => Assert.DoesNotContain("abcdefghijklmnopqrst", m, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Idp:Mail:Host", "smtp.example.test", "Idp:Mail:From must be an e-mail address")]
    [InlineData("Idp:Mail:PickupDirectory", "/tmp/x", "Idp:Mail:From must be an e-mail address")]
    public async Task MailOnWithoutASender_StopsStartUpNamingTheKey(string key, string value, string expected)
    {
        var settings = OidcClients.Settings();
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await OidcScenario.StartAsync(DatabaseKind.Sqlite, settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static async Task<List<string>> WaitForAsync(string folder, int count)
    {
        for (var attempt = 0; attempt < 50 && Directory.GetFiles(folder).Length < count; attempt++)
        {
            await Task.Delay(100);
        }

        // Let a message that should not exist have its chance to appear too.
        await Task.Delay(300);
        return [.. Directory.GetFiles(folder).Select(File.ReadAllText)];
    }
}
