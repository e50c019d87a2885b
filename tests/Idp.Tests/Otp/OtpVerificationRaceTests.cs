using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Otp.Verification;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests.Otp;

/// <summary>RFC 6238 §5.2 under races: the same valid code sent many times at once is accepted exactly once.</summary>
public sealed class OtpVerificationRaceTests
{
    private static readonly byte[] Seed = TestOtp.Seed;

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Verify_SameCodeTwentyTimesConcurrently_AcceptedExactlyOnce(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind);
        var userId = (await scenario.CreateUserAsync("alice", "a long enough password")).Id;
        await EnrollAsync(scenario, userId);
        var code = TestOtp.CodeAt(scenario.Host.Time.GetUtcNow());

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            await using var scope = scenario.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<OtpVerificationService>().VerifyAsync(userId, code, null, CancellationToken.None);
        }));

        Assert.Equal(1, results.Count(r => r.Outcome == OtpVerificationOutcome.Accepted));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(OtpVerificationOutcome.Replayed, r.Outcome));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Verify_ExpiredDevice_NoDevice(DatabaseKind kind)
    {
        await using var scenario = await Scenario.StartAsync(kind, new Dictionary<string, string?> { ["Otp:Ttl"] = "3600" });
        var userId = (await scenario.CreateUserAsync("alice", "a long enough password")).Id;
        await EnrollAsync(scenario, userId);
        scenario.Host.Time.Advance(TimeSpan.FromHours(2));
        var code = TestOtp.CodeAt(scenario.Host.Time.GetUtcNow());

        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OtpVerificationService>().VerifyAsync(userId, code, null, CancellationToken.None);

        Assert.Equal(OtpVerificationOutcome.NoDevice, result.Outcome);
    }

    [Theory]
    [InlineData("12345", OtpVerificationOutcome.Malformed)]
    [InlineData("abcdef", OtpVerificationOutcome.Malformed)]
    [InlineData("1234567", OtpVerificationOutcome.Malformed)]
    [InlineData("far", OtpVerificationOutcome.Invalid)]
    public async Task Verify_BadCode_RefusedWithReason(string code, OtpVerificationOutcome expected)
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        var userId = (await scenario.CreateUserAsync("alice", "a long enough password")).Id;
        await EnrollAsync(scenario, userId);
        if (code == "far")
        {
            // A real code of this seed, but five minutes off: outside the window.
            code = TestOtp.CodeAt(scenario.Host.Time.GetUtcNow().AddMinutes(5));
        }

        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<OtpVerificationService>().VerifyAsync(userId, code, null, CancellationToken.None);

        Assert.Equal(expected, result.Outcome);
    }

    private static async Task EnrollAsync(Scenario scenario, string userId)
    {
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var protector = scope.ServiceProvider.GetRequiredService<SecretProtector>();
        var device = new OtpDevice
        {
            Id = "phone",
            Type = OtpDeviceType.Totp,
            Name = "Phone",
            Epoch = scenario.Host.Time.GetUtcNow().ToUnixTimeSeconds(),
            Secret = protector.Protect(Seed, OtpSecretPurposes.OtpSeed),
        };
        Assert.True(await scope.ServiceProvider.GetRequiredService<IOtpDeviceStore>().TryReplaceAsync(userId, OtpDeviceDocument.Empty.Add(device), 0, CancellationToken.None));
    }
}
