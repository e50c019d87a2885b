using System.Net;
using Idp.Tests.Oidc;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Admin;

/// <summary>/admin over HTTP against the real app: who gets in, and what its actions do.</summary>
public sealed class AdminWebTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AdminRemovesADeviceWithAReason_TheUsersSessionEnds_AndTheAuditSaysWhoAndWhy(DatabaseKind kind)
    {
        await using var oidc = await AdminScenario.StartAsync(kind);
        var alice = await AdminScenario.SignInWithCodeAsync(oidc, "alice");
        var admin = await AdminScenario.SignInWithCodeAsync(oidc, AdminScenario.AdminName);
        var deviceId = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single().Id;

        var search = await HtmlForm.ParseAsync(await admin.GetAsync("/admin?q=ALI"));
        var userPage = await HtmlForm.ParseAsync(await admin.GetAsync("/admin/users/alice"));
        var confirmPath = $"/admin/users/alice/confirm?action=remove-device&device={deviceId}";
        var confirmPage = await HtmlForm.ParseAsync(await admin.GetAsync(confirmPath));
        var done = await HtmlForm.SubmitAsync(admin, confirmPath, new Dictionary<string, string> { ["Reason"] = "phone lost, ticket 42" });
        var after = await admin.GetAsync("/admin/users/alice");
        var events = await AdminScenario.EventsAboutAsync(oidc, "alice");

        Assert.Contains(search.QuerySelectorAll("a"), a => a.GetAttribute("href") == "/admin/users/alice");
        Assert.Contains("Phone", userPage.QuerySelector("table")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", userPage.Body!.InnerHtml.Replace("Secrets are never shown", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(confirmPage.QuerySelector("label[for=reason]"));
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Contains("Removed the device", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
        Assert.Equal(HttpStatusCode.Redirect, (await alice.GetAsync("/account")).StatusCode);
        var removed = Assert.Single(events, e => e.Type == "otp.removed");
        Assert.StartsWith("admin:", removed.Actor, StringComparison.Ordinal);
        Assert.Contains("phone lost, ticket 42", removed.Details, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Type == "admin.sessions_ended");
    }

    [Fact]
    public async Task WithoutAReason_NothingIsRemoved_AndTheAdminIsTold()
    {
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite);
        var admin = await AdminScenario.SignInWithCodeAsync(oidc, AdminScenario.AdminName);
        var deviceId = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice")).Single().Id;
        var confirmPath = $"/admin/users/alice/confirm?action=remove-device&device={deviceId}";

        var refused = await HtmlForm.SubmitAsync(admin, confirmPath, new Dictionary<string, string> { ["Reason"] = "  " });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Give a reason", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, "alice"));
    }

    [Fact]
    public async Task WithoutTheAntiforgeryToken_ThePostIsRefused()
    {
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite);
        var admin = await AdminScenario.SignInWithCodeAsync(oidc, AdminScenario.AdminName);

        var forged = await admin.PostAsync("/admin/users/alice/confirm?action=end-sessions", new FormUrlEncodedContent(new Dictionary<string, string> { ["Reason"] = "forged" }));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        // What end-sessions would have left behind: its audit event.
        Assert.DoesNotContain(await AdminScenario.EventsAboutAsync(oidc, "alice"), e => e.Type == Idp.Audit.AuditEventTypes.SessionsEnded);
    }

    [Fact]
    public async Task AnAdminCannotRemoveTheirOwnLastDevice()
    {
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite);
        var admin = await AdminScenario.SignInWithCodeAsync(oidc, AdminScenario.AdminName);
        var own = (await SecondFactorScenario.DevicesOfAsync(oidc.Host, AdminScenario.AdminName)).Single().Id;

        var refused = await HtmlForm.SubmitAsync(admin, $"/admin/users/{AdminScenario.AdminName}/confirm?action=remove-device&device={own}", new Dictionary<string, string> { ["Reason"] = "testing" });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("own last device", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(await SecondFactorScenario.DevicesOfAsync(oidc.Host, AdminScenario.AdminName));
    }

    [Fact]
    public async Task NonAdmins_AndAdminsWithoutTheCode_AreKeptOut()
    {
        await using var oidc = await AdminScenario.StartAsync(DatabaseKind.Sqlite, ("Otp:Activation", "Off"));
        var alice = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(alice, "alice", OidcScenario.Password);
        var passwordOnlyAdmin = oidc.Host.CreateBrowser();
        await oidc.Inner.SignInAsync(passwordOnlyAdmin, AdminScenario.AdminName, OidcScenario.Password);
        var anonymous = oidc.Host.CreateBrowser();

        var nonAdmin = await alice.GetAsync("/admin");
        var stepUp = await passwordOnlyAdmin.GetAsync("/admin/users/alice");
        var notSignedIn = await anonymous.GetAsync("/admin");
        var codePage = await SecondFactorScenario.FollowAsync(passwordOnlyAdmin, stepUp);
        var steppedUp = await SecondFactorScenario.SubmitCodeAsync(passwordOnlyAdmin, SecondFactorScenario.CodeAt(oidc.Host));
        var adminPage = await passwordOnlyAdmin.GetAsync(steppedUp.Headers.Location!.OriginalString);

        Assert.Equal("/account/denied", nonAdmin.Headers.Location!.OriginalString);
        Assert.Equal("/account/2fa/step-up?returnUrl=%2Fadmin%2Fusers%2Falice", stepUp.Headers.Location!.OriginalString);
        // The step-up link leads to the code page, and the code back to where the administrator was going.
        Assert.Equal(HttpStatusCode.OK, codePage.StatusCode);
        Assert.NotNull((await HtmlForm.ParseAsync(codePage)).QuerySelector("input#code[autocomplete=one-time-code]"));
        Assert.Equal("/admin/users/alice", steppedUp.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, adminPage.StatusCode);
        Assert.Contains("/account/login", notSignedIn.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
