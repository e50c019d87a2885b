namespace Idp.Testing;

public static class TestSecrets
{
    /// <summary>A fixed application secret key for tests (Base64 of 32 bytes); never used outside tests.</summary>
    public const string Key = "dGVzdC1vbmx5LWtleS0xMjM0NTY3ODkwYWJjZGVmZ2g=";
}
