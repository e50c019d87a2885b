using System.Net;
using Idp.Accounts;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.Accounts;

public sealed class LoginTests
{
    private const string Password = TestUsers.Password;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Login_CorrectPassword_ReachesAccountPage_ThenSignOutEndsIt(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password, "alice@example.com");
        var browser = scenario.Host.CreateBrowser();

        var signIn = await scenario.SignInAsync(browser, "alice", Password);
        var account = await browser.GetAsync("/account");
        var logoutPage = await HtmlForm.ParseAsync(await browser.GetAsync("/account/logout"));
        var stillIn = await browser.GetAsync("/account");
        var signOut = await HtmlForm.SubmitAsync(browser, "/account/logout", new Dictionary<string, string>());
        var after = await browser.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account", signIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Contains("alice@example.com", await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(logoutPage.QuerySelector("form[method=post]"));
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        Assert.Equal("/account/login?notice=signed-out", signOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Login_ByEmail_SignsIn(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("bob", Password, "Bob@Example.com");

        var browser = scenario.Host.CreateBrowser();
        var response = await scenario.SignInAsync(browser, "bob@example.com", Password);
        var account = await browser.GetAsync("/account");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Signed in as bob: his own account page, not the sign-in form again.
        Assert.Equal(HttpStatusCode.OK, account.StatusCode);
        Assert.Contains("bob", await account.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_UnknownUserAndWrongPassword_SameMessage()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("alice", Password);

        var unknown = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "mallory", Password);
        var wrong = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", "not the password");

        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
        Assert.Equal(ErrorOf(await HtmlForm.ParseAsync(unknown)), ErrorOf(await HtmlForm.ParseAsync(wrong)));
        Assert.Equal(PasswordSignIn.WrongCredentials, ErrorOf(await HtmlForm.ParseAsync(wrong)));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Login_FiveWrongPasswords_LockTheAccountWithClearMessage(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        await scenario.CreateUserAsync("alice", Password);
        var browser = scenario.Host.CreateBrowser();

        for (var i = 0; i < 5; i++)
        {
            await scenario.SignInAsync(browser, "alice", "wrong password " + i);
        }

        var locked = await scenario.SignInAsync(browser, "alice", Password);

        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Equal(PasswordSignIn.WrongCredentials, ErrorOf(await HtmlForm.ParseAsync(locked)));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account")).StatusCode);
    }

    /// <summary>
    /// Identity counts a wrong password only after hashing it, so every request of a parallel burst used to be checked:
    /// twelve guesses where the lockout allows three. The attempt is now reserved before the hash, as the second
    /// factor's are, and the lock then refuses the rest unchecked.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AParallelBurstOfWrongPasswords_IsCheckedAtMostAsOftenAsTheLockoutAllows(DatabaseKind kind)
    {
        var hasher = new SecondFactor.HookedPasswordHasher();
        await using var scenario = await Scenario.StartAsync(kind, new Dictionary<string, string?> { ["Idp:Lockout:MaxFailedAttempts"] = "3" }, services: s => s.AddSingleton<IPasswordHasher<IdpUser>>(hasher));
        var alice = await scenario.CreateUserAsync("alice", Password);
        var browsers = Enumerable.Range(0, 12).Select(_ => scenario.Host.CreateBrowser()).ToList();

        var answers = await Task.WhenAll(browsers.Select(async (b, i) => ErrorOf(await HtmlForm.ParseAsync(await scenario.SignInAsync(b, "alice", $"guess {i}")))));
        var checkedPasswords = hasher.VerificationsOf(alice.Id);
        var whileLocked = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password);

        Assert.All(answers, error => Assert.Equal(PasswordSignIn.WrongCredentials, error));
        Assert.Equal(3, checkedPasswords);
        Assert.Equal(PasswordSignIn.WrongCredentials, ErrorOf(await HtmlForm.ParseAsync(whileLocked)));
    }

    /// <summary>
    /// Reserving the attempt before the hash must not cost the person their first right password when a lock runs
    /// out: starting the new round rewrites the account's concurrency stamp, and Identity saving its older copy of
    /// the account then answered "failed".
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task WhenTheLockRunsOut_TheRightPasswordSignsInAtOnce(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind, ThreeAttemptsThenFifteenMinutes());
        await scenario.CreateUserAsync("alice", Password);
        for (var i = 0; i < 3; i++)
        {
            await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", $"guess {i}");
        }

        var whileLocked = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password);
        scenario.Host.Time.Advance(TimeSpan.FromMinutes(16));
        var afterTheLock = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password);

        Assert.Equal(PasswordSignIn.WrongCredentials, ErrorOf(await HtmlForm.ParseAsync(whileLocked)));
        Assert.Equal("/account", afterTheLock.Headers.Location?.OriginalString);
    }

    /// <summary>
    /// An account whose count is spent but whose lock was never written (the node stopped between the two writes, or
    /// Idp:Lockout:MaxFailedAttempts was lowered below its count) is locked like any other, and the lock runs out:
    /// before, it refused every password until an administrator stepped in.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ASpentCountWithNoLockWritten_BecomesALockThatRunsOut(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind, ThreeAttemptsThenFifteenMinutes());
        var alice = await scenario.CreateUserAsync("alice", Password);
        await using (var scope = scenario.Host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>().Users.Where(u => u.Id == alice.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 4));
        }

        var stuck = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password);
        scenario.Host.Time.Advance(TimeSpan.FromMinutes(16));
        var afterTheLock = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password);

        Assert.Equal(PasswordSignIn.WrongCredentials, ErrorOf(await HtmlForm.ParseAsync(stuck)));
        Assert.Equal("/account", afterTheLock.Headers.Location?.OriginalString);
    }

    /// <summary>
    /// An administrator locks the account while a wrong password that spends its last attempt is being hashed: the
    /// brute-force lock written after the hash must not replace the administrator's lock with one of fifteen minutes.
    /// </summary>
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AnAdministratorsLockSetDuringAWrongPassword_IsNotShortenedByTheBruteForceLock(DatabaseKind kind)
    {
        var hasher = new SecondFactor.HookedPasswordHasher();
        await using var scenario = await Scenario.StartAsync(kind, new Dictionary<string, string?> { ["Idp:Lockout:MaxFailedAttempts"] = "1" }, services: s => s.AddSingleton<IPasswordHasher<IdpUser>>(hasher));
        var alice = await scenario.CreateUserAsync("alice", Password);
        hasher.DuringNextVerification(async () =>
        {
            await using var scope = scenario.Host.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
            Assert.True((await users.SetLockoutEndDateAsync((await users.FindByIdAsync(alice.Id))!, UserLockout.AdministratorLockEnd)).Succeeded);
        });

        await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", "a wrong password");
        await using var check = scenario.Host.Services.CreateAsyncScope();
        var after = await check.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().FindByIdAsync(alice.Id);

        Assert.Equal(UserLockout.AdministratorLockEnd, after!.LockoutEnd);
    }

    [Theory]
    [InlineData("", Password, "Enter your username or e-mail address.")]
    [InlineData("alice", "", "Enter your password.")]
    public async Task Login_EmptyField_ClearMessage(string login, string password, string expected)
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        var response = await scenario.SignInAsync(scenario.Host.CreateBrowser(), login, password);

        Assert.Equal(expected, ErrorOf(await HtmlForm.ParseAsync(response)));
    }

    [Fact]
    public async Task Login_OversizedFields_RefusedLikeWrongCredentials()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        var longLogin = await scenario.SignInAsync(scenario.Host.CreateBrowser(), new string('a', 5000), Password);
        var longPassword = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", new string('p', 10_000));
        var hugePassword = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", new string('p', 100_000));

        Assert.Equal(PasswordSignIn.WrongCredentials, ErrorOf(await HtmlForm.ParseAsync(longLogin)));
        Assert.Equal(PasswordSignIn.WrongCredentials, ErrorOf(await HtmlForm.ParseAsync(longPassword)));
        // Over Idp:Limits:MaxBodyBytes: refused before the form is read.
        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, hugePassword.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("javascript:alert(1)")]
    public async Task Login_OffSiteReturnUrl_GoesToAccountInstead(string returnUrl)
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("alice", Password);

        var response = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password, returnUrl);

        Assert.Equal("/account", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_LocalReturnUrl_IsFollowed()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("alice", Password);

        var response = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password, "/account?tab=1");

        Assert.Equal("/account?tab=1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_SessionCookie_HostPrefixedHttpOnlySameSiteLaxSecure()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("alice", Password);

        var response = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-idp.session=", StringComparison.Ordinal) && !c.StartsWith("__Host-idp.session=;", StringComparison.Ordinal)).ToLowerInvariant();

        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.Contains("secure", cookie, StringComparison.Ordinal);
        // RFC 6265bis __Host-: Secure, Path=/, no Domain, so no sibling host or plain-http answer can plant one.
        Assert.Contains("path=/;", cookie + ";", StringComparison.Ordinal);
        Assert.DoesNotContain("domain=", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_PostWithoutAntiforgeryToken_Rejected()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("alice", Password);
        var browser = scenario.Host.CreateBrowser();

        var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["Login"] = "alice", ["Password"] = Password }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/account")).StatusCode);
    }

    [Fact]
    public async Task Login_Page_IsAccessibleAndHardened()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        var response = await scenario.Host.CreateBrowser().GetAsync("/account/login");
        var page = await HtmlForm.ParseAsync(response);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();

        Assert.Equal("username", page.QuerySelector("#login")!.GetAttribute("autocomplete"));
        Assert.Equal("current-password", page.QuerySelector("#password")!.GetAttribute("autocomplete"));
        Assert.NotNull(page.QuerySelector("label[for=login]"));
        Assert.NotNull(page.QuerySelector("label[for=password]"));
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Empty(page.QuerySelectorAll("script:not([src])"));
    }

    [Fact]
    public async Task Login_Attempts_NeverLogThePassword()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("alice", Password);

        await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", "the-wrong-secret-xyz");
        await scenario.SignInAsync(scenario.Host.CreateBrowser(), "alice", Password);

        Assert.Contains(scenario.Host.Logs.Lines, l => l.Contains("Signed in", StringComparison.Ordinal));
        Assert.DoesNotContain(scenario.Host.Logs.Lines, l => l.Contains("the-wrong-secret-xyz", StringComparison.Ordinal) || l.Contains(Password, StringComparison.Ordinal));
    }

    /// <summary>
    /// The password check may reuse a resolution the caller made earlier in the request, but only of that very login and
    /// realm: bob's resolution handed in with alice's login must not check her password against his account.
    /// </summary>
    [Fact]
    public async Task APasswordCheck_RefusesTheResolutionOfAnotherLogin()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("alice", Password);
        await scenario.CreateUserAsync("bob", "bobs own long password");
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var resolver = scope.ServiceProvider.GetRequiredService<Idp.UserStores.AccountResolver>();
        var check = scope.ServiceProvider.GetRequiredService<PasswordCheck>();
        var bobs = await resolver.ResolveAsync("bob", null, CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentException>(() => check.CheckAsync("alice", "bobs own long password", "test", CancellationToken.None, resolved: bobs));
        await Assert.ThrowsAsync<ArgumentException>(() => check.CheckAsync("bob", "bobs own long password", "test", CancellationToken.None, realm: "other", resolved: bobs));
        var (user, problem) = await check.CheckAsync("bob", "bobs own long password", "test", CancellationToken.None, resolved: bobs);
        Assert.Equal(("bob", null), (user?.UserName, problem));
    }

    private static Dictionary<string, string?> ThreeAttemptsThenFifteenMinutes() => new()
    {
        ["Idp:Lockout:MaxFailedAttempts"] = "3",
        ["Idp:Lockout:Duration"] = "00:15:00",
    };

    private static string ErrorOf(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector("[role=alert]")?.TextContent.Trim() ?? "(no error shown)";
}
