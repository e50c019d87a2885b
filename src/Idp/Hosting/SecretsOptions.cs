namespace Idp.Hosting;

/// <summary><c>Idp:Secrets</c>: the key that encrypts secrets at rest, never stored in the database.</summary>
public sealed class SecretsOptions
{
    /// <summary>File holding the Base64 of 32 random bytes: the key that encrypts OTP seeds and signing keys. Never in the database.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The same value given directly (e.g. the environment variable Idp__Secrets__Key). KeyFile wins when both are set.</summary>
    public string? Key { get; set; }

    /// <summary>Keys being retired: they still decrypt until `secrets reencrypt` has rewritten everything under the current key.</summary>
    public List<string> PreviousKeyFiles { get; set; } = [];
}
