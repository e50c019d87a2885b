using System.Security.Cryptography;
using Idp.Oidc.Keys;
using Idp.Oidc.Protocol;

namespace Idp.Testing;

/// <summary>
/// Signing keys for test hosts. RSA-2048 generation costs about 200 ms on this machine and every host on an empty
/// database makes a key, so the suite's hosts draw RSA keys from a pool of eight made once per test process, each
/// handed out under a kid of its own. Everything else about a key (its encryption, storage, rotation, JWKS) is the
/// app's own; other algorithms (P-256 is cheap) and <see cref="SigningKeyGenerator"/>'s RSA path are the real ones,
/// the latter tested on its own.
/// </summary>
internal sealed class PooledSigningKeyGenerator : ISigningKeyGenerator
{
    private static readonly Lazy<byte[]>[] Pool = [.. Enumerable.Range(0, 8).Select(_ => new Lazy<byte[]>(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKey();
    }))];

    private static int _next;

    private readonly SigningKeyGenerator _real = new();

    public (string KeyId, byte[] Pkcs8, string PublicJwk) Create(string algorithm)
    {
        if (algorithm == SigningAlgorithms.ES256)
        {
            return _real.Create(algorithm);
        }

        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Pool[(int)((uint)Interlocked.Increment(ref _next) % Pool.Length)].Value, out _);
        return SigningKeyGenerator.FromRsa(algorithm, rsa);
    }
}
