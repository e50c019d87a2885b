using Idp.Accounts.SecondFactor;
using Idp.Tests.Hardening;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Tests.SecondFactor;

/// <summary>
/// A right code gives back its own reserved attempt and the failures counted before it: never the attempts other
/// requests reserved after it, which are guesses still being checked. Before, a right code set the count to zero
/// and a guess racing a person's own sign-in went uncounted.
/// </summary>
public sealed class FailureBudgetGiveBackTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ARightCode_KeepsTheAttemptsReservedAfterIt(DatabaseKind kind)
    {
        var (scenario, userId) = await AliceAsync(kind);
        await using var _ = scenario;
        await using var right = scenario.Host.Services.CreateAsyncScope();
        await using var guess = scenario.Host.Services.CreateAsyncScope();
        await using var another = scenario.Host.Services.CreateAsyncScope();
        var rightBudget = Budget(right);

        Assert.True(await rightBudget.TryReserveAsync(userId, CancellationToken.None));
        Assert.True(await Budget(guess).TryReserveAsync(userId, CancellationToken.None));
        Assert.True(await Budget(another).TryReserveAsync(userId, CancellationToken.None));
        await rightBudget.ResetAsync(userId, CancellationToken.None);

        Assert.Equal(2, await FailuresAsync(scenario, userId));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TheReservationsWindow_IsHeldInUtc_SoTheGiveBackMatchesOnAnyHostsTimeZone(DatabaseKind kind)
    {
        // The give-back matches the window by value, through the model's UTC converter: a time of unspecified kind
        // (SQLite's text, read outside the model) is taken as local there, and on a host east or west of UTC the
        // attempt would never be given back, so a person's own right codes would lock them out.
        var (scenario, userId) = await AliceAsync(kind);
        await using var _ = scenario;
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var budget = Budget(scope);

        Assert.True(await budget.TryReserveAsync(userId, CancellationToken.None));

        Assert.True(budget.TryGetReservation(userId, out var attempt));
        Assert.Equal(DateTimeKind.Utc, attempt.WindowStartedAt.Kind);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ARightCode_GivesBackTheFailuresCountedBeforeIt(DatabaseKind kind)
    {
        var (scenario, userId) = await AliceAsync(kind);
        await using var _ = scenario;
        for (var i = 0; i < 2; i++)
        {
            await using var wrong = scenario.Host.Services.CreateAsyncScope();
            var budget = Budget(wrong);
            Assert.True(await budget.TryReserveAsync(userId, CancellationToken.None));
            Assert.Null(await budget.LockIfExceededAsync(userId, CancellationToken.None));
        }

        await using var right = scenario.Host.Services.CreateAsyncScope();
        var rightBudget = Budget(right);
        Assert.True(await rightBudget.TryReserveAsync(userId, CancellationToken.None));
        await rightBudget.ResetAsync(userId, CancellationToken.None);

        Assert.Equal(0, await FailuresAsync(scenario, userId));
    }

    private static async Task<(Scenario Scenario, string UserId)> AliceAsync(DatabaseKind kind)
    {
        var scenario = await Scenario.StartAsync(kind);
        return (scenario, (await scenario.CreateUserAsync("alice", TestUsers.Password)).Id);
    }

    private static SecondFactorFailureBudget Budget(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<SecondFactorFailureBudget>();

    private static Task<int> FailuresAsync(Scenario scenario, string userId)
        => HardeningDb.QueryAsync(scenario.Host.Services, db => db.OtpFailureStates.Where(s => s.UserId == userId).Select(s => s.Failures).SingleAsync());
}
