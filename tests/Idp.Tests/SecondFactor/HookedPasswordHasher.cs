using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests.SecondFactor;

/// <summary>
/// Identity's hasher, with something that happens while the next password is being verified: a test's way to land
/// another request's write inside the hash (about 100 ms in production) without guessing at timings.
/// </summary>
internal sealed class HookedPasswordHasher : IPasswordHasher<IdpUser>
{
    private readonly PasswordHasher<IdpUser> _inner = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _verifications = new(StringComparer.Ordinal);
    private Func<Task>? _duringNextVerification;

    public void DuringNextVerification(Func<Task> action) => _duringNextVerification = action;

    /// <summary>How many times a password was checked against this account's own hash (not the dummy one).</summary>
    public int VerificationsOf(string userId) => _verifications.GetValueOrDefault(userId);

    public string HashPassword(IdpUser user, string password) => _inner.HashPassword(user, password);

    public PasswordVerificationResult VerifyHashedPassword(IdpUser user, string hashedPassword, string providedPassword)
    {
        var result = _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        _verifications.AddOrUpdate(user.Id, 1, (_, count) => count + 1);
        if (Interlocked.Exchange(ref _duringNextVerification, null) is { } action)
        {
            // Identity's hasher is synchronous; the test host's requests run on the thread pool, so blocking here is safe.
            Task.Run(action).GetAwaiter().GetResult();
        }

        return result;
    }
}
