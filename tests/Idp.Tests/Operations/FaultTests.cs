using System.Net;
using Idp.Tests.Oidc;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Operations;

/// <summary>
/// The operator's faults (LinOTP's reliability guide: several nodes, a redundant database): PostgreSQL restarting or
/// failing over under load, and a node lost in the middle of a sign-in. Nodes keep no state of their own, so none of
/// these may lose or duplicate anything; what an outage refuses is refused with 503, quickly.
/// </summary>
public sealed class FaultTests
{
    [Fact]
    public async Task PostgresRestartedUnderLoad_RequestsAreRefusedWith503Quickly_ReadyzSaysSo_AndNoRefreshTokenIsLost()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var load = await FaultLoad.StartAsync(await TestDatabase.CreateOnAsync(cluster));

        var signedIn = load.NodeA.Host.CreateBrowser();
        await load.NodeA.Inner.SignInAsync(signedIn, "user0", OidcScenario.Password);
        var anonymous = load.NodeB.Host.CreateBrowser();
        var loginForm = HtmlForm.Fields(await HtmlForm.ParseAsync(await anonymous.GetAsync("/account/login")), new Dictionary<string, string> { ["Login"] = "user1", ["Password"] = OidcScenario.Password });

        var outageStarts = load.Recorder.Now;
        await cluster.StopServerAsync();
        await Task.Delay(FaultReport.Outage / 2);
        var readyDuringOutage = await load.NodeB.Host.CreateBrowser().GetAsync("/readyz");
        // A signed-in browser's session lives in the database too: its pages must still get the 503, not a bare 500.
        var sessionPage = await signedIn.GetAsync("/account");
        var signIn = await anonymous.PostAsync("/account/login", new FormUrlEncodedContent(loginForm));
        var token = await load.NodeB.RefreshAsync("not-a-token-but-the-store-must-be-asked");
        await Task.Delay(FaultReport.Outage / 2);
        var restartAt = load.Recorder.Now;
        await cluster.StartServerAsync();
        var recovery = await load.FirstRefreshAfterAsync(restartAt) - restartAt;
        var result = await load.StopAsync();
        var duringOutage = result.Between(outageStarts, restartAt);
        FaultReport.Add("PostgreSQL restarted under load", result.Entries.Count, duringOutage.Count(e => e.Status == 503), result.Errors.Count, recovery, result.LostWrites);

        Assert.Empty(result.Errors);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readyDuringOutage.StatusCode);
        Assert.All([sessionPage, signIn, token], r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));
        Assert.All([sessionPage, signIn, token], r => Assert.InRange(r.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(8)));
        Assert.Contains("Temporarily unavailable", await sessionPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("server_error", (await OidcScenario.JsonAsync(token)).GetProperty("error").GetString());
        Assert.Contains(duringOutage, e => e.Status == 503 && e.Path == "/connect/token");
        // Refused at once, not after a connection timeout (5 s: a loaded 2-core machine stalls now and then).
        Assert.All(duringOutage.Where(e => e.Status == 503), e => Assert.True(e.Took < TimeSpan.FromSeconds(5), $"{e.Path} took {e.Took} to fail"));
        Assert.True(recovery < TimeSpan.FromSeconds(10), $"service came back {recovery} after the database");
        AssertNothingLost(result);
    }

    /// <summary>
    /// Streaming replication with a synchronous standby, and nodes with a multi-host connection string
    /// (<c>Target Session Attributes=primary</c>): the standby is promoted and the primary killed; the nodes find the
    /// new primary on their own, and every write they had acknowledged is there.
    /// </summary>
    [Fact]
    public async Task PrimaryKilledAfterItsStandbyIsPromoted_NodesCarryOnAgainstTheNewPrimary_WithNoAcknowledgedWriteLost()
    {
        await using var primary = await PostgresCluster.StartPrimaryAsync();
        await using var standby = await PostgresCluster.StartStandbyOfAsync(primary);
        var onPrimary = new Npgsql.NpgsqlConnectionStringBuilder(await primary.CreateDatabaseAsync())
        {
            Host = $"127.0.0.1:{primary.Port},127.0.0.1:{standby.Port}",
            TargetSessionAttributes = "primary",
        };
        await using var load = await FaultLoad.StartAsync(TestDatabase.OnPostgres(onPrimary.ToString()));

        var failoverAt = load.Recorder.Now;
        await standby.PromoteAsync();
        await primary.KillAsync();
        var recovery = await load.FirstRefreshAfterAsync(load.Recorder.Now) - failoverAt;
        var result = await load.StopAsync();
        FaultReport.Add("primary killed, standby promoted", result.Entries.Count, result.Entries.Count(e => e.At > failoverAt && e.Status == 503), result.Errors.Count, recovery, result.LostWrites);

        Assert.Empty(result.Errors);
        Assert.True(recovery < TimeSpan.FromSeconds(15), $"service came back {recovery} after the failover");
        AssertNothingLost(result);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ANodeLostBetweenThePasswordAndTheCode_TheOtherNodeFinishesTheSignIn(DatabaseKind kind)
    {
        var database = await TestDatabase.CreateAsync(kind);
        await using var nodeB = await OidcScenario.StartOnAsync(database);
        var nodeA = await OidcScenario.StartOnAsync(database);
        await nodeA.Inner.CreateUserAsync("alice", OidcScenario.Password);
        await SecondFactorScenario.GiveDeviceAsync(nodeA.Host, "alice");
        var pkce = Pkce.Create();
        var onA = nodeA.Host.CreateBrowser(out var cookies);

        var toLogin = await onA.GetAsync(OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(pkce: pkce)));
        var password = await HtmlForm.SubmitAsync(onA, toLogin.Headers.Location!.OriginalString, new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = OidcScenario.Password });
        await nodeA.Host.DisposeAsync();
        var onB = nodeB.Host.CreateBrowserSharing(cookies);
        var code = await SecondFactorScenario.SubmitCodeAsync(onB, SecondFactorScenario.CodeAt(nodeB.Host));
        var callback = await SecondFactorScenario.FollowAsync(onB, code);
        var tokens = await nodeB.RedeemAsync(OidcScenario.CallbackParameters(callback.Headers.Location!)["code"], pkce);
        FaultReport.Add($"node lost between password and code ({kind})", 4, 0, 0, null, tokens.IsSuccessStatusCode ? 0 : 1);

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.StartsWith(OidcClients.WebAppRedirect, callback.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.True(tokens.IsSuccessStatusCode, await tokens.Content.ReadAsStringAsync());
        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken((await OidcScenario.JsonAsync(tokens)).GetProperty("id_token").GetString());
        Assert.Contains(idToken.Claims, c => c.Type == "amr" && c.Value == "otp");
    }

    private static void AssertNothingLost(FaultResult result)
    {
        Assert.Equal(0, result.Lost);
        Assert.Equal(result.Clients, result.Held);
        Assert.Equal(result.Held, result.StillValid);
        Assert.Equal(0, result.Reuses);
    }
}
