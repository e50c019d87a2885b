using System.Net;
using Idp.Accounts;
using Idp.Audit;
using Idp.Tests.Hardening;
using Idp.Tests.SecondFactor;
using Idp.Tests.Validation;

namespace Idp.Tests.UserStores;

/// <summary>People from a real OpenLDAP sign in with the directory's password, then the second factor, like local people.</summary>
public sealed class LdapSignInTests
{
    private const string DirectoryPassword = "the directory's own password";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ADirectoryPerson_SignsInWithTheDirectoryPassword_ThenACode(DatabaseKind kind)
    {
        await using var ldap = await LdapScenario.StartAsync(kind);
        var login = LdapScenario.NewLogin("dora");
        await ldap.Directory.AddPersonAsync(login, DirectoryPassword, displayName: "Dora Explorer");
        var linked = await ldap.ResolveAsync(login);
        await SecondFactorScenario.GiveDeviceAsync(ldap.Host, login);
        var browser = ldap.Host.CreateBrowser();

        var password = await ldap.Scenario.SignInAsync(browser, login, DirectoryPassword);
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(ldap.Host));
        var account = await browser.GetAsync("/account");

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Equal("/account", code.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Equal("corp", linked!.StoreName);
        Assert.Null(linked.PasswordHash);
        Assert.Equal("Dora Explorer", linked.DisplayName);
        Assert.Equal($"{login}@example.org", linked.Email);
    }

    /// <summary>A password outside ASCII reaches the directory whole (UTF-8, RFC 4511 §4.2: an OCTET STRING).</summary>
    [Fact]
    public async Task APasswordOutsideAscii_SignsIn_AndOnlyWhole()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite);
        var login = LdapScenario.NewLogin("zoe");
        const string password = "pässwörd für Zoë ✓";
        await ldap.Directory.AddPersonAsync(login, password);

        var whole = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, password);
        var cut = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, password[..^4]);

        Assert.Equal(HttpStatusCode.Redirect, whole.StatusCode);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(cut));
    }

    [Fact]
    public async Task AWrongDirectoryPassword_IsRefused_AndTheAuditNamesTheStore()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite);
        var login = LdapScenario.NewLogin("eve");
        await ldap.Directory.AddPersonAsync(login, DirectoryPassword);
        var browser = ldap.Host.CreateBrowser();

        var wrong = await ldap.Scenario.SignInAsync(browser, login, "not the password");
        var record = await ldap.ResolveAsync(login);
        var failures = await HardeningDb.AuditAsync(ldap.Host.Services, AuditEventTypes.SignInFailed);

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(wrong));
        Assert.Equal(1, record!.AccessFailedCount);
        Assert.Contains(failures, f => f.SubjectUserId == record.Id && f.Details == "wrong password (store corp)");
    }

    [Fact]
    public async Task WrongDirectoryPasswords_LockTheAccountInIdp_SoTheRightOneIsRefusedToo()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, more: new Dictionary<string, string?> { ["Idp:Lockout:MaxFailedAttempts"] = "3" });
        var login = LdapScenario.NewLogin("mallory");
        await ldap.Directory.AddPersonAsync(login, DirectoryPassword);
        var browser = ldap.Host.CreateBrowser();

        for (var i = 0; i < 3; i++)
        {
            await ldap.Scenario.SignInAsync(browser, login, $"guess {i}");
        }

        var right = await ldap.Scenario.SignInAsync(browser, login, DirectoryPassword);
        var locked = await HardeningDb.AuditAsync(ldap.Host.Services, AuditEventTypes.SignInLockedOut);

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(right));
        Assert.Equal(2, locked.Count);
        Assert.All(locked, l => Assert.Equal("account locked after failed sign-ins (store corp)", l.Details));
    }

    /// <summary>
    /// A burst of wrong passwords at once, from someone who knows only the login, must not reach the directory once
    /// each (its own lockout would then lock the person everywhere): attempts are reserved before the bind, and the
    /// count stays spent while locked. Without the reservation all twelve bind.
    /// </summary>
    [Fact]
    public async Task AParallelBurstOfWrongPasswords_ReachesTheDirectoryAtMostAsOftenAsTheLockoutAllows()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, more: new Dictionary<string, string?> { ["Idp:Lockout:MaxFailedAttempts"] = "3" });
        var login = LdapScenario.NewLogin("nina");
        var dn = await ldap.Directory.AddPersonAsync(login, DirectoryPassword);
        await ldap.ResolveAsync(login);
        var browsers = Enumerable.Range(0, 12).Select(_ => ldap.Host.CreateBrowser()).ToList();
        var pages = await Task.WhenAll(browsers.Select(b => b.GetAsync("/account/login")));

        await Task.WhenAll(browsers.Select((b, i) => ldap.Scenario.SignInAsync(b, login, $"guess {i}")));
        var binds = await ldap.Directory.FailedBindsAsync(dn);

        Assert.All(pages, p => Assert.Equal(HttpStatusCode.OK, p.StatusCode));
        Assert.Equal(3, binds);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task WhenTheLockRunsOut_TheDirectoryIsAskedAgain(DatabaseKind kind)
    {
        await using var ldap = await LdapScenario.StartAsync(kind, more: new Dictionary<string, string?> { ["Idp:Lockout:MaxFailedAttempts"] = "2" });
        var login = LdapScenario.NewLogin("otto");
        await ldap.Directory.AddPersonAsync(login, DirectoryPassword);
        await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, "guess 1");
        await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, "guess 2");

        var whileLocked = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        ldap.Host.Time.Advance(TimeSpan.FromMinutes(16));
        var afterTheLock = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        var record = await ldap.ResolveAsync(login);

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(whileLocked));
        Assert.Equal(HttpStatusCode.Redirect, afterTheLock.StatusCode);
        Assert.Equal(0, record!.AccessFailedCount);
    }

    [Fact]
    public async Task APasswordChangedOrAnAccountDisabledInTheDirectory_CountsAtOnce()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite);
        var login = LdapScenario.NewLogin("carol");
        var dn = await ldap.Directory.AddPersonAsync(login, DirectoryPassword);

        var before = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        await ldap.Directory.SetPasswordAsync(dn, "a brand new password");
        var oldPassword = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        var newPassword = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, "a brand new password");
        await ldap.Directory.DisableAsync(dn);
        var disabled = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, "a brand new password");

        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(oldPassword));
        Assert.Equal(HttpStatusCode.Redirect, newPassword.StatusCode);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(disabled));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ARenameInTheDirectory_KeepsTheRecord_ItsDevicesAndItsSubject(DatabaseKind kind)
    {
        await using var ldap = await LdapScenario.StartAsync(kind);
        var login = LdapScenario.NewLogin("ren");
        await ldap.Directory.AddPersonAsync(login, DirectoryPassword);
        var before = await ldap.ResolveAsync(login);
        await SecondFactorScenario.GiveDeviceAsync(ldap.Host, login);
        var renamed = login + "x";
        await ldap.Directory.RenameAsync(login, renamed);
        var browser = ldap.Host.CreateBrowser();

        var password = await ldap.Scenario.SignInAsync(browser, renamed, DirectoryPassword);
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(ldap.Host));
        var oldLogin = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        var after = await ldap.RecordOfAsync(before!.ExternalId!);

        Assert.Equal("/account/2fa", password.Headers.Location!.OriginalString);
        Assert.Equal("/account", code.Headers.Location!.OriginalString);
        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(oldLogin));
        Assert.Equal(before.Id, after!.Id);
        Assert.Equal(before.SubjectId, after.SubjectId);
        Assert.Equal(renamed, after.UserName);
    }

    /// <summary>
    /// Each login would find the victim if it reached the filter unescaped (a wildcard around part of the uid, a
    /// backslash that breaks the filter): with the victim's password, it must still be refused (RFC 4515 §3).
    /// </summary>
    [Theory]
    [InlineData("{0}*")]
    [InlineData("*{1}")]
    [InlineData("{0}*)(uid={0}*")]
    [InlineData("{2}\\")]
    public async Task ALogin_CannotChangeTheDirectorySearch(string pattern)
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite);
        var victim = LdapScenario.NewLogin("victim");
        await ldap.Directory.AddPersonAsync(victim, DirectoryPassword);
        var login = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, victim[..^4], victim[8..], victim);

        var attempt = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        var linked = await HardeningDb.QueryAsync(ldap.Host.Services, db => Task.FromResult(db.Users.Count(u => u.StoreName == "corp")));

        Assert.Equal(PasswordCheck.WrongCredentials, await HtmlForm.AlertAsync(attempt));
        Assert.Equal(0, linked);
    }

    [Fact]
    public async Task WhenTheDirectoryIsDown_ItsPeopleAreToldSo_AndLocalPeopleStillSignIn()
    {
        await using var directory = await OpenLdapServer.StartAsync();
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, directory);
        var login = LdapScenario.NewLogin("dana");
        await directory.AddPersonAsync(login, DirectoryPassword);
        await ldap.Scenario.CreateUserAsync("localbob", TestUsers.Password);

        await directory.StopAsync();
        var directoryPerson = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        var localPerson = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), "localbob", TestUsers.Password);
        var readyWhileDown = await ReadinessAsync(ldap.Host);
        await directory.RestartAsync();
        var backUp = await ldap.Scenario.SignInAsync(ldap.Host.CreateBrowser(), login, DirectoryPassword);
        var readyStillRemembered = await ReadinessAsync(ldap.Host);
        ldap.Host.Time.Advance(Idp.UserStores.StoreProbes.Lifetime);
        var readyAfter = await ReadinessAsync(ldap.Host);
        var failures = await HardeningDb.AuditAsync(ldap.Host.Services, AuditEventTypes.SignInFailed);

        Assert.Equal(PasswordCheck.DirectoryUnavailable, await HtmlForm.AlertAsync(directoryPerson));
        Assert.Equal(HttpStatusCode.Redirect, localPerson.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, backUp.StatusCode);
        Assert.Contains(failures, f => f.Details == "unknown user (unavailable: corp)");
        Assert.Equal((HttpStatusCode.OK, "Degraded", "unavailable"), readyWhileDown);
        Assert.Equal((HttpStatusCode.OK, "Degraded", "unavailable"), readyStillRemembered);
        Assert.Equal((HttpStatusCode.OK, "Healthy", "reachable"), readyAfter);
    }

    [Fact]
    public async Task AServerThatCannotBeReached_IsSkippedForTheNextOne()
    {
        var shared = await SharedLdap.GetAsync();
        var settings = LdapScenario.Settings($"ldap://127.0.0.1:{FreeTcpPort()}", shared.Url);
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, settings);
        var login = LdapScenario.NewLogin("fay");
        await shared.AddPersonAsync(login, DirectoryPassword);

        var signIn = await scenario.SignInAsync(scenario.Host.CreateBrowser(), login, DirectoryPassword);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task TheValidationApi_ChecksTheDirectoryPassword_ThenTheCode()
    {
        await using var ldap = await LdapScenario.StartAsync(DatabaseKind.Sqlite, more: ValidationScenario.Settings());
        var login = LdapScenario.NewLogin("vic");
        await ldap.Directory.AddPersonAsync(login, DirectoryPassword);
        await ldap.ResolveAsync(login);
        await SecondFactorScenario.GiveDeviceAsync(ldap.Host, login);
        var vpn = ldap.Host.CreateBrowser(out _, ValidationScenario.Vpn);

        var wrong = await ValidationScenario.CheckAsync(vpn, ("user", login), ("pass", "wrong" + SecondFactorScenario.CodeAt(ldap.Host)));
        var right = await ValidationScenario.CheckAsync(vpn, ("user", $"{login}@corp"), ("pass", DirectoryPassword + SecondFactorScenario.CodeAt(ldap.Host)));

        Assert.Equal("REJECT", ValidationScenario.Authentication(wrong));
        Assert.Equal("ACCEPT", ValidationScenario.Authentication(right));
    }

    /// <summary>/readyz's status code, overall status, and what it says of the store.</summary>
    internal static async Task<(HttpStatusCode, string, string)> ReadinessAsync(IdpTestHost host, string store = "corp")
    {
        var response = await host.CreateBrowser().GetAsync("/readyz");
        var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("status").GetString()!, body.GetProperty("stores").GetProperty(store).GetString()!);
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
