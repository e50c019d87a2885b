using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests.UserStores;

/// <summary>
/// A wrong password costs one password hash whatever the login names (nobody, a local account, a person of an LDAP
/// directory): a directory refuses a password in milliseconds, so without a hash of its own the answer's time would
/// tell an outsider which logins the directory knows.
/// </summary>
public sealed class DirectoryTimingTests
{
    [Fact]
    public async Task AWrongPassword_CostsOneHash_ForAnLdapPerson_AsForAnUnknownLogin_AndALocalAccount()
    {
        var directory = await SharedLdap.GetAsync();
        var hashes = new CountingHasher();
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, LdapScenario.Settings(directory.Url), services: s => s.AddSingleton<IPasswordHasher<IdpUser>>(hashes));
        var known = LdapScenario.NewLogin("known");
        await directory.AddPersonAsync(known, "the directory's own password");
        await scenario.CreateUserAsync("local", TestUsers.Password);

        var unknown = await HashesForAsync(scenario, hashes, "nobody");
        var person = await HashesForAsync(scenario, hashes, known);
        var local = await HashesForAsync(scenario, hashes, "local");

        Assert.Equal((1, 1, 1), (unknown, person, local));
    }

    private static async Task<int> HashesForAsync(Scenario scenario, CountingHasher hashes, string login)
    {
        var before = hashes.Verifications;
        await scenario.SignInAsync(scenario.Host.CreateBrowser(), login, "not anyone's password");
        return hashes.Verifications - before;
    }

    /// <summary>Identity's hasher, counting the verifications it is asked for.</summary>
    private sealed class CountingHasher : IPasswordHasher<IdpUser>
    {
        private readonly PasswordHasher<IdpUser> _inner = new();
        private int _verifications;

        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(IdpUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(IdpUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
