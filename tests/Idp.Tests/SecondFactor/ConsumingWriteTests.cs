using Idp.Accounts.SecondFactor;
using Idp.Persistence;
using Idp.SecondFactors;
using Idp.Tests.Hardening;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.SecondFactor;

/// <summary>
/// On PostgreSQL the write that records an accepted code also gives back the attempt reserved for it, in one
/// statement (#13). It must give back only what this request reserved, and only when the code was recorded.
/// </summary>
public sealed class ConsumingWriteTests
{
    [Fact]
    public async Task AWriteThatLosesTheRace_GivesNothingBack()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Postgres);
        var userId = await AliceWithADeviceAsync(scenario);
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var (budget, documents, stored) = await ReserveAsync(scope, userId);
        await using (var other = scenario.Host.Services.CreateAsyncScope())
        {
            // Another request records its code first: the version read here is stale.
            Assert.True(await other.ServiceProvider.GetRequiredService<ISecondFactorDocumentStore>().TryReplaceAsync(userId, stored.Json!, stored.Version, CancellationToken.None));
        }

        var written = await documents.TryConsumeAsync(userId, stored.Json!, stored.Version, CancellationToken.None);

        Assert.False(written);
        Assert.Equal(1, await FailuresAsync(scenario, userId));
        Assert.True(budget.TryGetReservation(userId, out _));
    }

    [Fact]
    public async Task AWriteThatRecordsTheCode_GivesBackTheReservedAttempt_InTheSameStatement()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Postgres);
        var userId = await AliceWithADeviceAsync(scenario);
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var (budget, documents, stored) = await ReserveAsync(scope, userId);

        var written = await documents.TryConsumeAsync(userId, stored.Json!, stored.Version, CancellationToken.None);

        Assert.True(written);
        Assert.Equal(0, await FailuresAsync(scenario, userId));
        Assert.False(budget.TryGetReservation(userId, out _));
    }

    [Fact]
    public async Task WithoutAnAttemptReservedByThisRequest_TheWriteLeavesTheBudgetAlone()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Postgres);
        var userId = await AliceWithADeviceAsync(scenario);
        await using (var other = scenario.Host.Services.CreateAsyncScope())
        {
            // Another request's reservation, still open: not this request's to give back.
            Assert.True(await other.ServiceProvider.GetRequiredService<SecondFactorFailureBudget>().TryReserveAsync(userId, CancellationToken.None));
        }

        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var documents = scope.ServiceProvider.GetRequiredService<ISecondFactorDocumentStore>();
        var stored = await documents.LoadAsync(userId, CancellationToken.None);

        Assert.True(await documents.TryConsumeAsync(userId, stored.Json!, stored.Version, CancellationToken.None));
        Assert.Equal(1, await FailuresAsync(scenario, userId));
    }

    [Fact]
    public async Task AWriteThatRecordsTheCode_KeepsAnAttemptAnotherRequestReservedAfterIt()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Postgres);
        var userId = await AliceWithADeviceAsync(scenario);
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var (_, documents, stored) = await ReserveAsync(scope, userId);
        await using (var other = scenario.Host.Services.CreateAsyncScope())
        {
            // A guess reserved while this request was verifying its right code: still being checked, still counted.
            Assert.True(await other.ServiceProvider.GetRequiredService<SecondFactorFailureBudget>().TryReserveAsync(userId, CancellationToken.None));
        }

        Assert.True(await documents.TryConsumeAsync(userId, stored.Json!, stored.Version, CancellationToken.None));
        Assert.Equal(1, await FailuresAsync(scenario, userId));
    }

    /// <summary>In one request: the user's document read, and an attempt reserved as the guarded path reserves it.</summary>
    private static async Task<(SecondFactorFailureBudget Budget, ISecondFactorDocumentStore Documents, StoredDocument Stored)> ReserveAsync(AsyncServiceScope scope, string userId)
    {
        var budget = scope.ServiceProvider.GetRequiredService<SecondFactorFailureBudget>();
        var documents = scope.ServiceProvider.GetRequiredService<ISecondFactorDocumentStore>();
        var stored = await documents.LoadAsync(userId, CancellationToken.None);
        Assert.True(await budget.TryReserveAsync(userId, CancellationToken.None));
        return (budget, documents, stored);
    }

    private static async Task<string> AliceWithADeviceAsync(Scenario scenario)
    {
        var alice = await scenario.CreateUserAsync("alice", TestUsers.Password);
        await SecondFactorScenario.GiveDeviceAsync(scenario.Host, "alice");
        return alice.Id;
    }

    private static Task<int> FailuresAsync(Scenario scenario, string userId)
        => HardeningDb.QueryAsync(scenario.Host.Services, db => db.OtpFailureStates.Where(s => s.UserId == userId).Select(s => s.Failures).SingleAsync());
}
