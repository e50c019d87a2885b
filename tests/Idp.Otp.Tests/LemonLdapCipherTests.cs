using Idp.Otp.Secrets;
using Idp.Secrets;

namespace Idp.Otp.Tests;

public sealed class LemonLdapCipherTests
{
    // Interoperability vector published with LemonLDAP::NG's own crypto tests: "test" encrypted by the Perl
    // implementation under the key "qwertyui".
    private const string PerlCiphertext = "Rbtyn/D0IEb4Rj0fttKdm/ZdSm0OTUs9Qls+LKpTAhJnCJenM/qzM9RngRqCl2OjsWLIlGJvu5DPDaa0l0r/Fw==";

    [Fact]
    public void TryDecrypt_CiphertextFromLemonLdap_Decrypts()
    {
        Assert.True(new LemonLdapCipher("qwertyui").TryDecrypt(LemonLdapCipher.Prefix + PerlCiphertext, out var plain));
        Assert.Equal("test", plain);
    }

    [Fact]
    public void TryDecrypt_UrlEscapedBase64_Decrypts()
    {
        var escaped = PerlCiphertext.Replace("+", "%2B", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal).Replace("=", "%3D", StringComparison.Ordinal);

        Assert.True(new LemonLdapCipher("qwertyui").TryDecrypt(escaped, out var plain));
        Assert.Equal("test", plain);
    }

    [Fact]
    public void TryDecrypt_WrongKey_Refused()
    {
        Assert.False(new LemonLdapCipher("another key").TryDecrypt(PerlCiphertext, out _));
    }

    [Theory]
    [InlineData("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")] // 32 characters: a whole number of blocks
    [InlineData("JBSWY3DPEHPK3PXP")]
    [InlineData("x")]
    public void EncryptThenDecrypt_RoundTrip(string secret)
    {
        var cipher = new LemonLdapCipher("my llng key");

        var encrypted = cipher.Encrypt(secret);

        Assert.StartsWith(LemonLdapCipher.Prefix, encrypted, StringComparison.Ordinal);
        Assert.True(cipher.TryDecrypt(encrypted, out var plain));
        Assert.Equal(secret, plain);
    }

    [Theory]
    [InlineData("{llngcrypt}not base64")]
    [InlineData("{llngcrypt}AAAA")]
    public void TryDecrypt_Damaged_Refused(string value)
    {
        Assert.False(new LemonLdapCipher("k").TryDecrypt(value, out _));
    }
}
