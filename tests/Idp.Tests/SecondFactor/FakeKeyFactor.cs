using System.Collections.Concurrent;
using Idp.SecondFactors;

namespace Idp.Tests.SecondFactor;

/// <summary>
/// A kind of second factor the core has never heard of, written against the contract alone: each credential has a
/// one-time response that works once. If the core needed a change to accept it, the seam would be broken.
/// </summary>
internal sealed class FakeKeyFactor : ISecondFactorMethod
{
    /// <summary>RFC 8176 §2 "swk": proof of possession of a software-secured key.</summary>
    public const string Amr = "swk";

    private readonly ConcurrentDictionary<string, (SecondFactorCredential Credential, string Response)> _credentials = new();

    private readonly ConcurrentDictionary<string, bool> _used = new();

    public SecondFactorDescriptor Descriptor { get; } = new("fake-key", "Fake key", null, [Amr], null);

    /// <summary>How many times the core asked for a challenge to be started (the code page was shown).</summary>
    public int ChallengesStarted => _challenges;

    private int _challenges;

    public Task StartChallengeAsync(string userId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _challenges);
        return Task.CompletedTask;
    }

    public void Give(string userId, string name, string response, DateTimeOffset registeredAt)
        => _credentials[userId] = (new SecondFactorCredential($"fake-{userId}", Descriptor.Kind, name, registeredAt, null, null), response);

    public Task<IReadOnlyList<SecondFactorCredential>> CredentialsAsync(string userId, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<SecondFactorCredential>>(_credentials.TryGetValue(userId, out var c) ? [c.Credential] : []);

    public Task<string?> RenameAsync(string userId, string credentialId, string? name, CancellationToken cancellationToken)
    {
        if (!_credentials.TryGetValue(userId, out var c) || c.Credential.Id != credentialId)
        {
            return Task.FromResult<string?>("That device does not exist.");
        }

        _credentials[userId] = (c.Credential with { Name = name ?? string.Empty }, c.Response);
        return Task.FromResult<string?>(null);
    }

    public Task<CredentialRemoval> RemoveAsync(string userId, string credentialId, Func<IReadOnlyList<SecondFactorCredential>, bool> allowed, CancellationToken cancellationToken)
    {
        if (!_credentials.TryGetValue(userId, out var c) || c.Credential.Id != credentialId)
        {
            return Task.FromResult(new CredentialRemoval(CredentialRemovalOutcome.NotFound));
        }

        if (!allowed([]))
        {
            return Task.FromResult(new CredentialRemoval(CredentialRemovalOutcome.Refused, c.Credential.Name));
        }

        _credentials.TryRemove(userId, out _);
        return Task.FromResult(new CredentialRemoval(CredentialRemovalOutcome.Removed, c.Credential.Name));
    }

    public Task<SecondFactorVerification> VerifyAsync(string userId, string? response, string? credentialId, Func<SecondFactorCredential, bool> eligible, CancellationToken cancellationToken)
    {
        if (!_credentials.TryGetValue(userId, out var c) || (credentialId is not null && credentialId != c.Credential.Id) || !eligible(c.Credential) || response != c.Response)
        {
            return Task.FromResult(new SecondFactorVerification(SecondFactorVerdict.Rejected));
        }

        // Consumed atomically: of two concurrent uses, one wins.
        return Task.FromResult(_used.TryAdd($"{userId}:{response}", true)
            ? new SecondFactorVerification(SecondFactorVerdict.Accepted, c.Credential.Id)
            : new SecondFactorVerification(SecondFactorVerdict.Replayed, c.Credential.Id));
    }
}
