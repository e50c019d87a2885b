using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Idp.Tests.SecondFactor;
using Microsoft.Extensions.Options;

namespace Idp.Tests.Hosting;

/// <summary>
/// Idp:Metrics: after a sign-in, the Prometheus scraping endpoint shows its counters and database timings, to the
/// configured networks only, with no user name among the labels. Counters are process-wide and other tests run at
/// the same time, so each is read before and after, and must have grown by at least what this test did.
/// </summary>
public sealed partial class MetricsTests
{
    private const string Password = TestUsers.Password;
    private const string UserName = "metrics-person-7f3a";

    [Fact]
    public async Task AfterASignIn_TheScrapeShowsItsCounters_ToTheConfiguredNetworksOnly_WithoutUserNames()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, SecondFactorScenario.Settings(("Idp:Metrics:Prometheus:Enabled", "true")));
        await scenario.CreateUserAsync(UserName, Password);
        await SecondFactorScenario.GiveDeviceAsync(scenario.Host, UserName);
        var before = await ScrapeAsync(scenario, IPAddress.Loopback);

        var browser = scenario.Host.CreateBrowser();
        await scenario.SignInAsync(browser, UserName, Password);
        await SecondFactorScenario.SubmitCodeAsync(browser, "000000");
        Assert.Equal("/account", (await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(scenario.Host))).Headers.Location?.OriginalString);
        await scenario.SignInAsync(scenario.Host.CreateBrowser(), UserName, "not the password at all");
        var after = await ScrapeAsync(scenario, IPAddress.Loopback);
        var stranger = await scenario.Host.CreateBrowser(out _, IPAddress.Parse("203.0.113.9")).GetAsync("/metrics");

        Assert.True(Sum(after, "idp_signins_total", "outcome=\"success\"") >= Sum(before, "idp_signins_total", "outcome=\"success\"") + 1, after);
        Assert.True(Sum(after, "idp_signins_total", "outcome=\"failure\"") >= Sum(before, "idp_signins_total", "outcome=\"failure\"") + 1);
        Assert.True(Sum(after, "idp_second_factor_checks_total", "outcome=\"accepted\"") >= Sum(before, "idp_second_factor_checks_total", "outcome=\"accepted\"") + 1);
        Assert.True(Sum(after, "idp_second_factor_checks_total", "outcome=\"wrong\"") >= Sum(before, "idp_second_factor_checks_total", "outcome=\"wrong\"") + 1);
        Assert.Matches(DbCount(), after);
        Assert.Contains("idp_audit_queue_length", after, StringComparison.Ordinal);
        Assert.DoesNotContain(UserName, after, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }

    [Fact]
    public async Task WhenNotEnabled_ThereIsNoScrapingEndpoint_AndABadSettingStopsStartUpNamingItsKey()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var off = await scenario.Host.CreateBrowser(out _, IPAddress.Loopback).GetAsync("/metrics");
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => IdpTestHost.StartAsync(database, new Dictionary<string, string?> { ["Idp:Metrics:OtlpEndpoint"] = "collector:4317" }));

        Assert.Equal(HttpStatusCode.NotFound, off.StatusCode);
        Assert.Contains("Idp:Metrics:OtlpEndpoint must be an http or https URL", refused.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ScrapeAsync(Scenario scenario, IPAddress from)
    {
        var response = await scenario.Host.CreateBrowser(out _, from).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels include <paramref name="label"/> (several meters of one name each give a line).</summary>
    private static double Sum(string scrape, string metric, string label)
        => scrape.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.IndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture));

    [GeneratedRegex(@"idp_db_duration\w*_count\{[^}]*\} [1-9]")]
    private static partial Regex DbCount();
}
