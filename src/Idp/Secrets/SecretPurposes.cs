namespace Idp.Secrets;

/// <summary>The core's purpose strings bound into ciphertexts; each factor names its own (they must not collide).</summary>
internal static class SecretPurposes
{
    public const string SigningKey = "signing-key";
}
