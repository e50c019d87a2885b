using Idp.Otp.Secrets;
using Idp.Secrets;

namespace Idp.Tests.Secrets;

public sealed class SecretProtectorTests
{
    private static readonly byte[] Seed = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];

    [Fact]
    public void ProtectUnprotect_RoundTrip_ReturnsSeedAndHidesIt()
    {
        var protector = new SecretProtector(new SecretKeyRing(SecretKey.Generate()));

        var stored = protector.Protect(Seed, OtpSecretPurposes.OtpSeed);

        Assert.StartsWith(SecretProtector.Prefix + protector.CurrentKeyId + ".", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Seed), stored, StringComparison.Ordinal);
        Assert.True(protector.TryUnprotect(stored, OtpSecretPurposes.OtpSeed, out var plain));
        Assert.Equal(Seed, plain);
    }

    [Fact]
    public void Protect_Twice_DifferentCiphertexts()
    {
        var protector = new SecretProtector(new SecretKeyRing(SecretKey.Generate()));

        Assert.NotEqual(protector.Protect(Seed, OtpSecretPurposes.OtpSeed), protector.Protect(Seed, OtpSecretPurposes.OtpSeed));
    }

    [Fact]
    public void TryUnprotect_WrongKey_Refused()
    {
        var stored = new SecretProtector(new SecretKeyRing(SecretKey.Generate())).Protect(Seed, OtpSecretPurposes.OtpSeed);

        Assert.False(new SecretProtector(new SecretKeyRing(SecretKey.Generate())).TryUnprotect(stored, OtpSecretPurposes.OtpSeed, out _));
    }

    [Fact]
    public void TryUnprotect_KeyIdRelabelledToAnotherKnownKey_Refused()
    {
        var oldKey = SecretKey.Generate();
        var newKey = SecretKey.Generate();
        var stored = new SecretProtector(new SecretKeyRing(oldKey)).Protect(Seed, OtpSecretPurposes.OtpSeed);
        var relabelled = stored.Replace(oldKey.Id, newKey.Id, StringComparison.Ordinal);

        Assert.False(new SecretProtector(new SecretKeyRing(newKey, [oldKey])).TryUnprotect(relabelled, OtpSecretPurposes.OtpSeed, out _));
    }

    [Fact]
    public void TryUnprotect_TamperedCiphertext_Refused()
    {
        var protector = new SecretProtector(new SecretKeyRing(SecretKey.Generate()));
        var stored = protector.Protect(Seed, OtpSecretPurposes.OtpSeed);
        var index = stored.Length - 10;
        var tampered = stored[..index] + (stored[index] == 'A' ? 'B' : 'A') + stored[(index + 1)..];

        Assert.False(protector.TryUnprotect(tampered, OtpSecretPurposes.OtpSeed, out _));
        Assert.False(protector.TryUnprotect(stored[..^4], OtpSecretPurposes.OtpSeed, out _));
        Assert.False(protector.TryUnprotect("{idp}v1.nodot", OtpSecretPurposes.OtpSeed, out _));
        Assert.False(protector.TryUnprotect("GEZDGNBV", OtpSecretPurposes.OtpSeed, out _));
    }

    [Fact]
    public void TryUnprotect_OtherPurpose_Refused()
    {
        var protector = new SecretProtector(new SecretKeyRing(SecretKey.Generate()));
        var stored = protector.Protect(Seed, OtpSecretPurposes.OtpSeed);

        Assert.False(protector.TryUnprotect(stored, SecretPurposes.SigningKey, out _));
    }

    [Fact]
    public void TryUnprotect_PreviousKeyInRing_StillDecrypts_NewValuesUseCurrentKey()
    {
        var oldKey = SecretKey.Generate();
        var newKey = SecretKey.Generate();
        var stored = new SecretProtector(new SecretKeyRing(oldKey)).Protect(Seed, OtpSecretPurposes.OtpSeed);
        var rotated = new SecretProtector(new SecretKeyRing(newKey, [oldKey]));

        Assert.True(rotated.TryUnprotect(stored, OtpSecretPurposes.OtpSeed, out var plain));
        Assert.Equal(Seed, plain);
        Assert.Equal(oldKey.Id, SecretProtector.KeyIdOf(stored));
        Assert.Equal(newKey.Id, SecretProtector.KeyIdOf(rotated.Protect(plain, OtpSecretPurposes.OtpSeed)));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not base64!", "not Base64")]
    [InlineData("AAAA", "32 bytes (got 3 bytes)")]
    public void SecretKeyTryParse_Bad_ClearError(string text, string expected)
    {
        Assert.False(SecretKey.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretKeyTryParse_Base64OfThirtyTwoBytesWithNewline_Accepted()
    {
        var key = SecretKey.Generate();

        Assert.True(SecretKey.TryParse(key.ToBase64() + "\n", out var parsed, out _));
        Assert.Equal(key.Id, parsed!.Id);
    }
}
