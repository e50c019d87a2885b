using System.Net;
using Idp.Audit;
using Idp.Tests.Hardening;
using Idp.Tests.SecondFactor;
using static Idp.Tests.Validation.ValidationScenario;

namespace Idp.Tests.Validation;

/// <summary>
/// /validate/check, /validate/radiuscheck and /validate/simplecheck as privacyIDEA's and LinOTP's clients call
/// them, on both databases.
/// </summary>
public sealed class ValidationApiTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task PasswordAndCode_InOneField_AcceptOnce(DatabaseKind kind)
    {
        await using var validation = await StartAsync(kind);
        var vpn = validation.From(Vpn);

        var accepted = await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));
        var replayed = await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));

        Assert.Equal("ACCEPT", Authentication(accepted));
        Assert.True(accepted.GetProperty("result").GetProperty("value").GetBoolean());
        Assert.True(accepted.GetProperty("result").GetProperty("status").GetBoolean());
        Assert.Equal("REJECT", Authentication(replayed));
        Assert.False(replayed.GetProperty("result").GetProperty("value").GetBoolean());
        Assert.Equal("the code was already used", Message(replayed));
        var audit = await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.ValidationAccepted);
        Assert.Contains("validate, client vpn", Assert.Single(audit).Details, StringComparison.Ordinal);
    }

    /// <summary>
    /// #13's latency budget: password‖code reads the account and its devices in one round trip (the code length and
    /// the password check share it), reserves the password's attempt before the hash and gives it back after, reserves
    /// the code's attempt, and records the code with that attempt given back.
    /// </summary>
    [Fact]
    public async Task PasswordAndCode_TakesFiveRoundTrips()
    {
        await using var validation = await StartAsync(DatabaseKind.Postgres, new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information" });
        var vpn = validation.From(Vpn);
        await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code(-1)));
        var before = validation.Host.Logs.Lines.Count;

        var accepted = await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));
        var statements = validation.Host.Logs.Lines.Skip(before).Where(l => l.Contains("Executed DbCommand", StringComparison.Ordinal) && !l.Contains("INSERT INTO \"AuditEvents\"", StringComparison.Ordinal)).ToList();

        // The account with its devices; the password's attempt reserved, then given back (the password lockout counts
        // before the hash, so a parallel burst cannot outrun it); the code's attempt reserved; the accepted step
        // written with that attempt given back in the same statement.
        Assert.Equal("ACCEPT", Authentication(accepted));
        Assert.Equal(5, statements.Count);
        Assert.Contains("JOIN \"UserOtpDevices\"", statements[0], StringComparison.Ordinal);
        Assert.Contains("FROM \"AspNetUsers\"", statements[0], StringComparison.Ordinal);
        Assert.Contains("\"AccessFailedCount\" = a.\"AccessFailedCount\" + 1", statements[1], StringComparison.Ordinal);
        Assert.Contains("\"AccessFailedCount\"", statements[2], StringComparison.Ordinal);
        Assert.Contains("UPDATE \"AspNetUsers\"", statements[2], StringComparison.Ordinal);
        Assert.DoesNotContain("+ 1", statements[2], StringComparison.Ordinal);
        Assert.Contains("INSERT INTO \"OtpFailureStates\"", statements[3], StringComparison.Ordinal);
        Assert.Contains("UPDATE \"UserOtpDevices\"", statements[4], StringComparison.Ordinal);
        Assert.Contains("ON CONFLICT (\"UserId\") DO UPDATE SET \"Failures\" = CASE", statements[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPassword_RejectsWithoutSpendingTheCode()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);
        var vpn = validation.From(Vpn);

        var wrong = await CheckAsync(vpn, ("user", "alice"), ("pass", "not the password" + validation.Code()));
        var right = await CheckAsync(vpn, ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));

        Assert.Equal("REJECT", Authentication(wrong));
        Assert.Equal("ACCEPT", Authentication(right));
        Assert.Empty(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpFailed));
        Assert.Contains("wrong password (validate, client vpn)", (await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.SignInFailed)).Select(e => e.Details));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ChallengeResponse_ThePasswordThenTheCodeWithTheTransaction(DatabaseKind kind)
    {
        await using var validation = await StartAsync(kind);
        var portal = validation.From(Portal);

        var challenge = await CheckAsync(portal, ("user", "alice"), ("pass", TestUsers.Password));
        var transaction = challenge.GetProperty("detail").GetProperty("transaction_id").GetString()!;
        var accepted = await CheckAsync(portal, ("user", "alice"), ("transaction_id", transaction), ("pass", validation.Code()));
        var again = await CheckAsync(portal, ("user", "alice"), ("transaction_id", transaction), ("pass", validation.Code(1)));

        Assert.Equal("CHALLENGE", Authentication(challenge));
        Assert.False(challenge.GetProperty("result").GetProperty("value").GetBoolean());
        Assert.Equal(transaction, challenge.GetProperty("detail").GetProperty("transactionid").GetString());
        Assert.Equal("Enter the code from your authenticator", Message(challenge));
        Assert.Equal("ACCEPT", Authentication(accepted));
        Assert.Equal("REJECT", Authentication(again));
        Assert.Equal("unknown or expired transaction", Message(again));
    }

    [Fact]
    public async Task ATransaction_IsBoundToItsClientAndUser_AndExpires()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);
        await validation.Scenario.CreateUserAsync("bob", TestUsers.Password);
        await SecondFactorScenario.GiveDeviceAsync(validation.Host, "bob");
        var portal = validation.From(Portal);

        async Task<string> OpenAsync() => (await CheckAsync(portal, ("user", "alice"), ("pass", TestUsers.Password))).GetProperty("detail").GetProperty("transaction_id").GetString()!;

        var fromAnotherClient = await CheckAsync(validation.From(Vpn), ("user", "alice"), ("state", await OpenAsync()), ("pass", validation.Code()));
        var forAnotherUser = await CheckAsync(portal, ("user", "bob"), ("transaction_id", await OpenAsync()), ("pass", validation.Code()));
        var late = await OpenAsync();
        validation.Host.Time.Advance(TimeSpan.FromMinutes(3));
        var expired = await CheckAsync(portal, ("user", "alice"), ("transaction_id", late), ("pass", validation.Code()));

        Assert.Equal("unknown or expired transaction", Message(fromAnotherClient));
        Assert.Equal("the transaction belongs to another user", Message(forAnotherUser));
        Assert.Equal("unknown or expired transaction", Message(expired));
    }

    [Fact]
    public async Task CodeOnlyClient_NeedsItsSecret()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);
        var pam = validation.From(Pam);

        var withoutSecret = await PostAsync(pam, "/validate/check", ("user", "alice"), ("pass", validation.Code()));
        pam.DefaultRequestHeaders.Add("X-Idp-Validation-Secret", "a wrong secret, long enough");
        var wrongSecret = await PostAsync(pam, "/validate/check", ("user", "alice"), ("pass", validation.Code()));
        pam.DefaultRequestHeaders.Remove("X-Idp-Validation-Secret");
        pam.DefaultRequestHeaders.Add("X-Idp-Validation-Secret", PamSecret);
        var accepted = await CheckAsync(pam, ("user", "alice"), ("pass", validation.Code()));

        Assert.Equal(HttpStatusCode.Forbidden, withoutSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongSecret.StatusCode);
        Assert.Equal("ACCEPT", Authentication(accepted));
    }

    [Fact]
    public async Task AnAddressThatIsNoClient_IsRefusedAndAudited_EvenWithAForgedForwardedFor()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);
        var stranger = validation.From(Stranger);
        stranger.DefaultRequestHeaders.Add("X-Forwarded-For", Vpn.ToString());

        var response = await PostAsync(stranger, "/validate/check", ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("\"status\":false", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("192.0.2.66", Assert.Single(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.ValidationClientRefused)).Details, StringComparison.Ordinal);
        Assert.Empty(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpSucceeded));
    }

    [Fact]
    public async Task GetIsRefused_SoPasswordsNeverSitInUrls()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);

        var response = await validation.From(Vpn).GetAsync($"/validate/check?user=alice&pass={Uri.EscapeDataString(TestUsers.Password + validation.Code())}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.OtpSucceeded));
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        { "alice", string.Empty, "pass is empty" },
        { "alice", new string('x', 1101), "pass is too long" },
        { "alice@elsewhere", TestUsers.Password + "123456", "unknown realm" },
        { string.Empty, TestUsers.Password + "123456", "user is missing" },
        { "alice", "12345", "wrong otp pin or otp value" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public async Task BadInput_IsRejectedClearlyAndAudited(string user, string pass, string message)
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:Validation:SplitAtSign"] = "true" });

        var rejected = await CheckAsync(validation.From(Vpn), ("user", user), ("pass", pass));

        Assert.Equal("REJECT", Authentication(rejected));
        Assert.Equal(message, Message(rejected));
        Assert.Contains(message, Assert.Single(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.ValidationRejected)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKnownRealm_AndUserAtRealm_AreAccepted()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:Validation:SplitAtSign"] = "true" });
        var vpn = validation.From(Vpn);

        var split = await CheckAsync(vpn, ("user", "alice@corp"), ("pass", TestUsers.Password + validation.Code()));
        var named = await CheckAsync(vpn, ("user", "alice"), ("realm", "corp"), ("pass", TestUsers.Password + validation.Code(1)));

        Assert.Equal("ACCEPT", Authentication(split));
        Assert.Equal("ACCEPT", Authentication(named));
    }

    [Fact]
    public async Task AUserWithoutDevice_IsRefused_UnlessTheClientHasPassthru()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);
        await validation.Scenario.CreateUserAsync("carol", TestUsers.Password);

        var refused = await CheckAsync(validation.From(Vpn), ("user", "carol"), ("pass", TestUsers.Password + "123456"));
        var passthru = await CheckAsync(validation.From(Legacy), ("user", "carol"), ("pass", TestUsers.Password));
        var passthruWrongPassword = await CheckAsync(validation.From(Legacy), ("user", "carol"), ("pass", "a wrong password entirely"));

        Assert.Equal("the user has no usable second factor; enroll one in the browser", Message(refused));
        Assert.Equal("ACCEPT", Authentication(passthru));
        Assert.Equal("REJECT", Authentication(passthruWrongPassword));
        Assert.Contains("legacy", Assert.Single(await HardeningDb.AuditAsync(validation.Host.Services, AuditEventTypes.ValidationPassthru)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RadiusCheckAndSimpleCheck_AnswerInTheirOwnShapes()
    {
        await using var validation = await StartAsync(DatabaseKind.Sqlite);
        var vpn = validation.From(Vpn);

        var accepted = await PostAsync(vpn, "/validate/radiuscheck", ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));
        var rejected = await PostAsync(vpn, "/validate/radiuscheck", ("user", "alice"), ("pass", TestUsers.Password + validation.Code()));
        var happy = await PostAsync(vpn, "/validate/simplecheck", ("user", "alice"), ("pass", TestUsers.Password + validation.Code(1)));
        var sad = await PostAsync(vpn, "/validate/simplecheck", ("user", "alice"), ("pass", TestUsers.Password + validation.Code(1)));

        Assert.Equal(HttpStatusCode.NoContent, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(":-)", await happy.Content.ReadAsStringAsync());
        Assert.Equal(":-(", await sad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WithoutClients_TheApiIsNotThere()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        var response = await scenario.Host.CreateBrowser(out _, Vpn).PostAsync("/validate/check", new FormUrlEncodedContent([new("user", "alice"), new("pass", "x")]));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
