using System.Net;
using Idp.Tests.Oidc;

namespace Idp.Tests.SecondFactor;

/// <summary>RFC 6238 §5.2 end to end: one valid code submitted 20 times at once, split across two nodes on one PostgreSQL, signs in once.</summary>
public sealed class TwoNodeReplayTests
{
    [Fact]
    public async Task OneValidCodeSubmittedTwentyTimesAcrossTwoNodesSucceedsExactlyOnce()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = SecondFactorScenario.Settings(("Otp:MaxFailures", "100"));
        var clock = new MutableTimeProvider();
        await using var nodeA = await IdpTestHost.StartAsync(database, settings, time: clock);
        await using var nodeB = await IdpTestHost.StartAsync(database, settings, time: clock);
        await SecondFactorScenario.CreateUserAsync(nodeA, "alice", OidcScenario.Password);

        await SecondFactorScenario.GiveDeviceAsync(nodeA, "alice");
        var code = SecondFactorScenario.CodeAt(nodeA);

        // Twenty browsers past the password step, half of them on each node, each holding its code-page form.
        var forms = new List<(HttpClient Browser, FormUrlEncodedContent Form)>();
        for (var i = 0; i < 20; i++)
        {
            var browser = (i % 2 == 0 ? nodeA : nodeB).CreateBrowser();
            var password = await HtmlForm.SubmitAsync(browser, "/account/login", new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = OidcScenario.Password });
            Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
            var page = await HtmlForm.ParseAsync(await browser.GetAsync("/account/2fa"));
            forms.Add((browser, new FormUrlEncodedContent(HtmlForm.Fields(page, new Dictionary<string, string> { ["Code"] = code }))));
        }

        var results = await Task.WhenAll(forms.Select(f => f.Browser.PostAsync("/account/2fa", f.Form)));

        Assert.Equal(1, results.Count(r => r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location!.OriginalString == "/account"));
        Assert.Equal(19, results.Count(r => r.StatusCode == HttpStatusCode.OK));
    }
}
