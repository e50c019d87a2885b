using System.Net;
using Idp.Hosting;
using Idp.Tests.Oidc;

namespace Idp.Tests.Hardening;

/// <summary>
/// Forwarded headers come only from configured proxies, and every guessing or costly endpoint is limited per
/// address (IPv6 per /64), answering 429 with Retry-After.
/// </summary>
public sealed class EdgeLimitTests
{
    private static readonly IPAddress Outsider = IPAddress.Parse("203.0.113.7");

    [Fact]
    public async Task SignIn_SpoofedForwardedFor_NoProxyConfigured_StillLimitedAndAuditedUnderTheRealAddress()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:RateLimits:SignInPerMinute"] = "5" });
        await scenario.CreateUserAsync("alice", "a long enough password");
        var browser = scenario.Host.CreateBrowser(out _, Outsider);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 8; i++)
        {
            browser.DefaultRequestHeaders.Remove("X-Forwarded-For");
            browser.DefaultRequestHeaders.Add("X-Forwarded-For", $"198.51.100.{i + 1}");
            var response = await scenario.SignInAsync(browser, "alice", "wrong password " + i);
            statuses.Add(response.StatusCode);
            limited ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.NotNull(limited);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        var failures = await HardeningDb.AuditAsync(scenario.Host.Services, Idp.Audit.AuditEventTypes.SignInFailed);
        Assert.NotEmpty(failures);
        Assert.All(failures, e => Assert.Equal(Outsider.ToString(), e.IpAddress));
    }

    [Fact]
    public async Task ForwardedFor_FromAConfiguredProxyNetwork_IsBelieved()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:KnownProxies:0"] = "10.0.0.0/8" });
        await scenario.CreateUserAsync("alice", "a long enough password");
        var behindProxy = scenario.Host.CreateBrowser(out _, IPAddress.Parse("10.20.30.40"));
        behindProxy.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.9");
        var direct = scenario.Host.CreateBrowser(out _, Outsider);
        direct.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.10");

        await scenario.SignInAsync(behindProxy, "alice", "wrong password");
        await scenario.SignInAsync(direct, "alice", "wrong password");

        var addresses = (await HardeningDb.AuditAsync(scenario.Host.Services, Idp.Audit.AuditEventTypes.SignInFailed)).Select(e => e.IpAddress).ToList();
        Assert.Equal(["198.51.100.9", Outsider.ToString()], addresses);
    }

    [Theory]
    [InlineData(null, "10.9.9.9")]
    [InlineData("2", "198.51.100.66")]
    public async Task ForwardedFor_ReadOnlyAsManyEntriesDeepAsThereAreProxies(string? forwardLimit, string expected)
    {
        var settings = new Dictionary<string, string?> { ["Idp:KnownProxies:0"] = "10.0.0.0/8" };
        if (forwardLimit is not null)
        {
            settings["Idp:ForwardLimit"] = forwardLimit;
        }

        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, settings);
        // A client inside the listed range prepends an address of its choosing; the proxy appends what it saw.
        var insider = scenario.Host.CreateBrowser(out _, IPAddress.Parse("10.20.30.40"));
        insider.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.66, 10.9.9.9");

        await scenario.SignInAsync(insider, "nobody", "wrong password");

        var row = Assert.Single(await HardeningDb.AuditAsync(scenario.Host.Services, Idp.Audit.AuditEventTypes.SignInFailed));
        Assert.Equal(expected, row.IpAddress);
    }

    [Theory]
    [InlineData("/connect/token", "TokenPerMinute")]
    [InlineData("/connect/introspect", "TokenInspectionPerMinute")]
    [InlineData("/connect/revoke", "TokenInspectionPerMinute")]
    [InlineData("/connect/authorize", "AuthorizePerMinute")]
    [InlineData("/api/admin/users/alice/devices", "AdminApiPerMinute")]
    public async Task ProtocolEndpoints_OverTheLimit_429WithRetryAfter(string path, string limit)
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { [$"Idp:RateLimits:{limit}"] = "3" });
        var client = oidc.Host.CreateBrowser(out _, Outsider);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 5; i++)
        {
            last = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = "nobody", ["token"] = "x" }));
            statuses.Add(last.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(3));
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 without Retry-After");
        if (path != "/connect/authorize")
        {
            // The back channel answers in JSON even here.
            Assert.Contains("json", last.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task StepUp_Posts_AreLimited()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:RateLimits:SignInPerMinute"] = "2" });
        var client = scenario.Host.CreateBrowser(out _, Outsider);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.PostAsync(Idp.Accounts.AccountRoutes.StepUp, new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "123456" }))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task IPv6_AddressesOfOneSlash64_ShareTheLimit()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:RateLimits:SignInPerMinute"] = "3" });
        var statuses = new List<HttpStatusCode>();
        for (var i = 1; i <= 5; i++)
        {
            // Each try from another address of the same customer block.
            var browser = scenario.Host.CreateBrowser(out _, IPAddress.Parse($"2001:db8:1:2::{i:x}"));
            statuses.Add((await scenario.SignInAsync(browser, "alice", "wrong password")).StatusCode);
        }

        var otherBlock = scenario.Host.CreateBrowser(out _, IPAddress.Parse("2001:db8:1:3::1"));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(HttpStatusCode.OK, (await scenario.SignInAsync(otherBlock, "alice", "wrong password")).StatusCode);
    }

    [Theory]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 64, "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 128, "2001:db8:1:2:aaaa:bbbb:cccc:dddd/128")]
    [InlineData("::ffff:192.0.2.1", 64, "192.0.2.1")]
    [InlineData("192.0.2.1", 64, "192.0.2.1")]
    public void PartitionKey_GroupsIPv6ByPrefix(string address, int prefix, string expected)
        => Assert.Equal(expected, ClientAddress.PartitionKey(IPAddress.Parse(address), prefix));
}
