using System.Security.Cryptography;
using Idp.Hosting;
using Idp.Audit;
using Idp.Oidc.Protocol;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Oidc.Keys;

/// <summary>
/// Signing keys from the database, shared by every node. Per algorithm: the newest key whose ActivatesAt has passed
/// signs; a new key is created KeyPublishAhead before the current one is KeyRotationInterval old, so it is in JWKS
/// before it signs; a superseded key stays in JWKS until every token it signed has expired. Decrypted keys are
/// cached for a minute, so another node's new key is seen well within the publish-ahead window.
/// </summary>
public sealed class SigningKeyService(ISigningKeyStore store, ISigningKeyGenerator generator, SecretProtector protector, AuditLog audit, IOptions<IdpOptions> options, TimeProvider time, ILogger<SigningKeyService> logger)
{
    private static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile KeySet? _cache;

    private sealed record KeySet(IReadOnlyList<SigningKey> Keys, DateTimeOffset LoadedAt);

    /// <summary>Algorithms some client signs with: the default and every client's own.</summary>
    public IReadOnlyList<string> AlgorithmsInUse => [.. options.Value.Clients.Select(c => c.SigningAlgorithm).Where(a => !string.IsNullOrEmpty(a)).Append(options.Value.Tokens.SigningAlgorithm).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)!];

    public async Task<SigningKey> CurrentAsync(string algorithm, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var keys = await KeysAsync(cancellationToken);
        var current = keys.Where(k => k.Algorithm == algorithm && k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt);
        if (current is null)
        {
            // First use of this algorithm (or the cache is older than a new key): make sure one exists, then reload.
            await EnsureKeysAsync(cancellationToken);
            keys = await KeysAsync(cancellationToken, forceReload: true);
            current = keys.Where(k => k.Algorithm == algorithm && k.ActivatesAt <= now).MaxBy(k => k.ActivatesAt)
                ?? throw new InvalidOperationException($"no {algorithm} signing key could be made");
        }

        return current;
    }

    /// <summary>Keys in JWKS: pending, current, and superseded ones whose tokens may still be live.</summary>
    public async Task<IReadOnlyList<SigningKey>> PublishedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var longest = LongestTokenLifetime() + ClockSkew;
        return [.. (await KeysAsync(cancellationToken)).Where(k => k.SupersededAt is null || k.SupersededAt.Value + longest > now)];
    }

    /// <summary>Keys that may have signed a token we are asked to validate (id_token_hint, access tokens).</summary>
    public async Task<IReadOnlyList<SecurityKey>> ValidationKeysAsync(CancellationToken cancellationToken)
        => [.. (await PublishedAsync(cancellationToken)).Select(k => k.Key)];

    /// <summary>Start-up: every stored key must decrypt, or the node would serve 500s; the exception names the fix.</summary>
    /// <exception cref="IdpConfigurationException">A key was encrypted under a secret key that is not configured.</exception>
    public async Task EnsureReadableAsync(CancellationToken cancellationToken) => _ = await KeysAsync(cancellationToken, forceReload: true, strict: true);

    /// <summary>Creates a first key per algorithm in use, and the next key when rotation is due. Safe on many nodes at once.</summary>
    public async Task EnsureKeysAsync(CancellationToken cancellationToken) => await WriteAsync(stored =>
    {
        var (settings, now) = (options.Value.Tokens, Now);
        var added = new List<StoredSigningKey>();
        foreach (var algorithm in AlgorithmsInUse)
        {
            var newest = stored.Where(k => k.Algorithm == algorithm).MaxBy(k => k.ActivatesAt);
            if (newest is null)
            {
                added.Add(New(algorithm, now, now));
            }
            else if (newest.ActivatesAt <= now && newest.ActivatesAt + settings.KeyRotationInterval - settings.KeyPublishAhead <= now)
            {
                var activates = newest.ActivatesAt + settings.KeyRotationInterval;
                added.Add(New(algorithm, now, activates < now ? now : activates));
            }
        }

        return SigningKeyEdit.None with { Added = added };
    }, cancellationToken);

    /// <summary>The `keys rotate` verb: a new key per algorithm that signs from now on.</summary>
    public async Task<IReadOnlyList<string>> RotateNowAsync(CancellationToken cancellationToken)
    {
        var created = await WriteAsync(_ =>
        {
            var now = Now;
            return SigningKeyEdit.None with { Added = [.. AlgorithmsInUse.Select(algorithm => New(algorithm, now, now))] };
        }, cancellationToken);
        _cache = null;
        return [.. created.Select(k => k.Id)];
    }

    /// <summary>
    /// The <c>secrets reencrypt</c> step for signing keys: every key not yet under the current secret key is
    /// rewritten under it, and keys superseded longer than the longest token lifetime (no longer in JWKS, nothing
    /// they signed still valid) are deleted, since keeping them only keeps the old secret key needed. All or nothing:
    /// a key no configured secret key decrypts changes nothing and is reported.
    /// </summary>
    public async Task<(int Reencrypted, int Pruned, string? Problem)> ReencryptAsync(CancellationToken cancellationToken)
    {
        var (reencrypted, pruned) = (0, 0);
        string? problem = null;
        await WriteAsync(rows =>
        {
            var now = Now;
            var longest = LongestTokenLifetime() + ClockSkew;
            var keep = rows.Where(row => SupersededAt(row, rows, now) is not { } superseded || superseded + longest > now).ToList();
            var rewritten = new List<StoredSigningKey>();
            foreach (var row in keep.Where(r => SecretProtector.KeyIdOf(r.ProtectedPrivateKey) != protector.CurrentKeyId))
            {
                if (!protector.TryUnprotect(row.ProtectedPrivateKey, SecretPurposes.SigningKey, out var pkcs8))
                {
                    problem = $"signing key {row.Id} cannot be decrypted with the configured keys (Idp:Secrets:KeyFile, Idp:Secrets:PreviousKeyFiles)";
                    return SigningKeyEdit.None;
                }

                rewritten.Add(row with { ProtectedPrivateKey = protector.Protect(pkcs8, SecretPurposes.SigningKey) });
                CryptographicOperations.ZeroMemory(pkcs8);
            }

            var expired = rows.Except(keep).Select(row => row.Id).ToList();
            (reencrypted, pruned) = (rewritten.Count, expired.Count);
            return new SigningKeyEdit([], rewritten, expired);
        }, cancellationToken);
        _cache = null;
        return problem is null ? (reencrypted, pruned, null) : (0, 0, problem);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private StoredSigningKey New(string algorithm, DateTime now, DateTime activatesAt)
    {
        var (kid, pkcs8, jwk) = generator.Create(algorithm);
        var key = new StoredSigningKey(kid, algorithm, protector.Protect(pkcs8, SecretPurposes.SigningKey), jwk, now, activatesAt);
        CryptographicOperations.ZeroMemory(pkcs8);
        return key;
    }

    /// <summary>One edit of the stored keys (see <see cref="ISigningKeyStore.EditAsync"/>); the keys it added, logged and audited once written.</summary>
    private async Task<IReadOnlyList<StoredSigningKey>> WriteAsync(Func<IReadOnlyList<StoredSigningKey>, SigningKeyEdit> edit, CancellationToken cancellationToken)
    {
        var added = await store.EditAsync(edit, cancellationToken);
        if (added.Count > 0)
        {
            _cache = null;
            foreach (var key in added)
            {
                logger.LogInformation("Created {Algorithm} signing key {KeyId}, signing from {ActivatesAt:u}", key.Algorithm, key.Id, key.ActivatesAt);
                await audit.WriteAsync(AuditEventTypes.SigningKeyCreated, "system", details: $"{key.Algorithm} kid={key.Id} activates={key.ActivatesAt:u}", cancellationToken: cancellationToken);
            }
        }

        return added;
    }

    /// <param name="strict">Start-up: a key that does not decrypt is a configuration error, not a row to leave out.</param>
    private async Task<IReadOnlyList<SigningKey>> KeysAsync(CancellationToken cancellationToken, bool forceReload = false, bool strict = false)
    {
        var cache = _cache;
        if (!forceReload && cache is not null && time.GetUtcNow() - cache.LoadedAt < CacheLifetime)
        {
            return cache.Keys;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (!forceReload && _cache is { } fresh && time.GetUtcNow() - fresh.LoadedAt < CacheLifetime)
            {
                return fresh.Keys;
            }

            var rows = await store.ListAsync(cancellationToken);
            var keys = new List<SigningKey>(rows.Count);
            foreach (var row in rows)
            {
                if (Load(row, rows) is { } key)
                {
                    keys.Add(key);
                }
                else if (strict)
                {
                    throw new IdpConfigurationException(
                        $"the database's secrets were encrypted under secret key {SecretProtector.KeyIdOf(row.ProtectedPrivateKey) ?? "(unknown)"}, which is not configured (signing key {row.Id} cannot be decrypted): "
                        + "put the key file that encrypted them in Idp:Secrets:PreviousKeyFiles (or give back the old Idp:Secrets:KeyFile), then run `secrets reencrypt`.");
                }
                else
                {
                    // At run time one bad row (written by a node with another key) must not stop this node signing.
                    logger.LogError("Signing key {KeyId} cannot be decrypted with the configured secret keys; it is left out of JWKS and signing", row.Id);
                }
            }

            _cache = new KeySet(keys, time.GetUtcNow());
            return keys;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private SigningKey? Load(StoredSigningKey row, IReadOnlyList<StoredSigningKey> all)
    {
        if (!protector.TryUnprotect(row.ProtectedPrivateKey, SecretPurposes.SigningKey, out var pkcs8))
        {
            return null;
        }

        SecurityKey key;
        if (row.Algorithm == SigningAlgorithms.ES256)
        {
            var ec = ECDsa.Create();
            ec.ImportPkcs8PrivateKey(pkcs8, out _);
            key = new ECDsaSecurityKey(ec) { KeyId = row.Id };
        }
        else
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(pkcs8, out _);
            key = new RsaSecurityKey(rsa) { KeyId = row.Id };
        }

        CryptographicOperations.ZeroMemory(pkcs8);
        return new SigningKey(row.Id, row.Algorithm, key, row.PublicJwk, row.ActivatesAt, SupersededAt(row, all, time.GetUtcNow().UtcDateTime));
    }

    /// <summary>When a newer key of the same algorithm started signing instead of this one; null while it is current or pending.</summary>
    private static DateTime? SupersededAt(StoredSigningKey row, IEnumerable<StoredSigningKey> all, DateTime now)
        => all.Where(k => k.Algorithm == row.Algorithm && k.ActivatesAt > row.ActivatesAt && k.ActivatesAt <= now).Select(k => (DateTime?)k.ActivatesAt).Min();

    private TimeSpan LongestTokenLifetime()
    {
        var settings = options.Value;
        return new[] { settings.Tokens.AccessTokenLifetime, settings.Tokens.IdTokenLifetime }
            .Concat(settings.Clients.SelectMany(c => new[] { c.AccessTokenLifetime, c.IdTokenLifetime }).OfType<TimeSpan>())
            .Max();
    }
}
