using System.Buffers.Binary;
using Idp.Accounts;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests.Accounts;

/// <summary>
/// Test hosts hash at 1,000 PBKDF2 iterations so the suite's thousands of sign-ins stay cheap (<see cref="IdpTestHost"/>).
/// These hold what that setting could hide: the cost operators get, and that the hash an unknown login is checked
/// against costs what an account's does (otherwise the time of an answer tells which logins exist).
/// </summary>
public sealed class PasswordHashCostTests
{
    [Fact]
    public async Task AnAccountAddedAsOperatorsRunTheApp_IsHashedWithPbkdf2Sha512At100000Iterations()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        // The command line composes the app as `dotnet Idp.dll` does, without the test hosts' setting.
        var added = await new Cli.CliRunner(scenario.Database).RunWithInputAsync(TestUsers.Password + "\n", "users", "add", "olga", "--password-stdin");

        Assert.Equal(0, added.ExitCode);
        Assert.Equal(new Pbkdf2(KeyDerivationPrf.HMACSHA512, Iterations: 100_000), Pbkdf2.Of(await StoredHashAsync(scenario, "olga")));
    }

    [Fact]
    public async Task TheHashAnUnknownLoginIsCheckedAgainst_HasTheCostOfAnAccountsHash()
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await scenario.CreateUserAsync("olga", TestUsers.Password);

        var dummy = Pbkdf2.Of(scenario.Host.Services.GetRequiredService<DummyPasswordHash>().Value);

        Assert.Equal(Pbkdf2.Of(await StoredHashAsync(scenario, "olga")), dummy);
        // The test host's cost, not Identity's default: the comparison above is between two settings that differ.
        Assert.Equal(1_000, dummy.Iterations);
    }

    private static async Task<string> StoredHashAsync(Scenario scenario, string userName)
    {
        await using var scope = scenario.Host.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().FindByNameAsync(userName);
        return user!.PasswordHash!;
    }

    /// <summary>The PRF and iteration count of an ASP.NET Core Identity version 3 hash (format byte 1, then both as big-endian 32-bit integers).</summary>
    private sealed record Pbkdf2(KeyDerivationPrf Prf, int Iterations)
    {
        public static Pbkdf2 Of(string hash)
        {
            var bytes = Convert.FromBase64String(hash);
            Assert.Equal(0x01, bytes[0]);
            return new Pbkdf2((KeyDerivationPrf)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1, 4)), (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4)));
        }
    }
}
