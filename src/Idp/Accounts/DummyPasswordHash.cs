using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

/// <summary>
/// The hash of a random password, made once with the hasher settings real accounts are hashed with, verified where
/// there is no account hash to verify (an unknown login, a locked account) so that answer costs what a real one does.
/// A hash made with other settings (Identity's defaults while an operator or a test host sets another iteration
/// count) would make an unknown login slower or faster than a known one, and so tell which logins exist.
/// </summary>
public sealed class DummyPasswordHash(IOptions<PasswordHasherOptions> options)
{
    private readonly Lazy<string> _hash = new(() => new PasswordHasher<IdpUser>(options).HashPassword(new IdpUser(), Guid.NewGuid().ToString()));

    public string Value => _hash.Value;
}
