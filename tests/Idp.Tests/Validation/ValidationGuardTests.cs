using System.Net;
using Idp.Audit;
using Idp.Persistence.Entities;
using Idp.Tests.Hardening;
using Idp.Tests.SecondFactor;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using static Idp.Tests.Validation.ValidationScenario;

namespace Idp.Tests.Validation;

/// <summary>
/// The API goes through the browser's guarded path: one set of devices (a code spent on one channel is spent on
/// the other), one failure budget and lock, one password lockout.
/// </summary>
public sealed class ValidationGuardTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ACodeAcceptedByTheApi_IsRefusedInTheBrowser_AndTheReverse(DatabaseKind kind)
    {
        await using var validation = await StartAsync(kind);
        var vpn = validation.From(Vpn);
        var browser = validation.Host.CreateBrowser();

        Assert.Equal("ACCEPT", Authentication(await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()))));
        await validation.Scenario.SignInAsync(browser, "alice", TestUsers.Password);
        var inBrowser = await SecondFactorScenario.SubmitCodeAsync(browser, validation.Code());

        Assert.Equal(HttpStatusCode.OK, inBrowser.StatusCode);
        Assert.Contains("already used", await inBrowser.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var next = validation.Code(1);
        validation.Host.Time.Advance(TimeSpan.FromSeconds(30));
        var signedIn = await SecondFactorScenario.SubmitCodeAsync(browser, next);
        var overApi = await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + next));

        Assert.Equal("/account", signedIn.Headers.Location!.OriginalString);
        Assert.Equal("the code was already used", Message(overApi));
        var channels = (await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpSucceeded)).Select(e => e.Details).ToList();
        Assert.Contains(channels, d => d!.StartsWith("sign-in (validate, client vpn)", StringComparison.Ordinal));
        Assert.Contains(channels, d => d!.StartsWith("sign-in (web)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongCodesOverTheApi_LockTheSecondFactorForTheBrowserToo()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Otp:MaxFailures"] = "3", ["Otp:Retries"] = "3" });
        var vpn = validation.From(Vpn);

        // Otp:MaxFailures wrong codes are allowed; the one past them locks.
        foreach (var guess in new[] { "111111", "222222", "333333", "444444", "555555" }.Where(g => g != validation.Code()).Take(4))
        {
            Assert.Equal("REJECT", Authentication(await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + guess))));
        }

        var rightButLocked = await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));
        var browser = validation.Host.CreateBrowser();
        await validation.Scenario.SignInAsync(browser, "alice", TestUsers.Password);
        var inBrowser = await SecondFactorScenario.SubmitCodeAsync(browser, validation.Code());

        Assert.Equal("the second factor is locked for a while after too many wrong codes", Message(rightButLocked));
        Assert.NotEqual("/account", inBrowser.Headers.Location?.OriginalString);
        Assert.Single(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpLocked));
        Assert.Contains(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpFailed), e => e.Details!.Contains("validate, client vpn", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AFirstDeviceSavedWhileAPassthruPasswordIsBeingHashed_IsAskedFor(DatabaseKind kind)
    {
        // Passthru lets a user without a second factor in on the password alone. Whether they have one is read before
        // the hash (for the password‖code split); the decision must rest on the devices as they are after it, or an
        // attacker sending the password as the person enrolls gets an ACCEPT the second factor should have guarded.
        var hasher = new HookedPasswordHasher();
        await using var scenario = await Scenario.StartAsync(kind, Settings(), services: s => s.AddSingleton<IPasswordHasher<IdpUser>>(hasher));
        await scenario.CreateUserAsync("carol", TestUsers.Password);
        hasher.DuringNextVerification(() => SecondFactorScenario.GiveDeviceAsync(scenario.Host, "carol"));

        var answer = await CheckAsync(scenario.Host.CreateBrowser(out _, Legacy), ("user", "carol"), ("pass", TestUsers.Password));

        Assert.Equal("REJECT", Authentication(answer));
        Assert.Empty(await HardeningDb.AuditAsync(scenario.Host.Services, AuditEventTypes.ValidationPassthru));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ARightCode_GivesBackItsAttemptAndEarlierFailures(DatabaseKind kind)
    {
        await using var validation = await StartAsync(kind, new Dictionary<string, string?> { ["Otp:MaxFailures"] = "3" });
        var vpn = validation.From(Vpn);
        var wrong = new[] { "111111", "222222", "333333", "444444", "555555" }.Where(g => g != validation.Code() && g != validation.Code(1)).Take(4).ToList();

        foreach (var guess in wrong.Take(3))
        {
            Assert.Equal("REJECT", Authentication(await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + guess))));
        }

        Assert.Equal("ACCEPT", Authentication(await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()))));
        validation.Host.Time.Advance(TimeSpan.FromSeconds(30));

        // The budget starts again: three more wrong codes are allowed, the fourth locks.
        foreach (var guess in wrong.Take(3))
        {
            Assert.Equal(Idp.Validation.SecondFactorValidation.Refused, Message(await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + guess))));
        }

        Assert.Empty(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpLocked));
        await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + wrong[3]));
        Assert.Single(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpLocked));
    }

    [Fact]
    public async Task WrongPasswordsOverTheApi_LockTheAccountAsTheSignInPageDoes()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:Lockout:MaxFailedAttempts"] = "3" });
        var vpn = validation.From(Vpn);

        for (var i = 0; i < 3; i++)
        {
            await CheckAsync(vpn, ("user", "alice"), ("pass", "a wrong password" + validation.Code()));
        }

        var right = await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));
        var page = await validation.Scenario.SignInAsync(validation.Host.CreateBrowser(), "alice", TestUsers.Password);

        Assert.Equal("REJECT", Authentication(right));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotEmpty(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.SignInLockedOut));
    }

    [Fact]
    public async Task OneCodeSentTwentyTimesToTwoNodes_IsAcceptedOnce()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var settings = Settings(new Dictionary<string, string?> { ["Otp:MaxFailures"] = "100" });
        var clock = new MutableTimeProvider();
        await using var nodeA = await IdpTestHost.StartAsync(database, settings, time: clock);
        await using var nodeB = await IdpTestHost.StartAsync(database, settings, time: clock);
        await SecondFactorScenario.CreateUserAsync(nodeA, "alice", TestUsers.Password);

        await SecondFactorScenario.GiveDeviceAsync(nodeA, "alice");
        var pass = TestUsers.Password + SecondFactorScenario.CodeAt(nodeA);
        var clients = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? nodeA : nodeB).CreateBrowser(out _, Vpn)).ToList();

        var answers = await Task.WhenAll(clients.Select(c => CheckAsync(c, ("user", "alice"), ("pass", pass))));

        Assert.Equal(1, answers.Count(a => Authentication(a) == "ACCEPT"));
        Assert.Equal(19, answers.Count(a => Authentication(a) == "REJECT"));
    }
}
