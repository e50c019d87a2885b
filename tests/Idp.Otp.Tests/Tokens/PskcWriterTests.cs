using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Tokens;

namespace Idp.Otp.Tests.Tokens;

/// <summary>What Idp exports, its own reader (and so any RFC 6030 reader) takes back as the same tokens.</summary>
public sealed class PskcWriterTests
{
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff");

    private static readonly TokenSeed[] Tokens =
    [
        new("HW-1", OtpDeviceType.Hotp, OtpHashAlgorithm.Sha1, 8, 42, 30, 0, "12345678901234567890"u8.ToArray()) { Manufacturer = "Acme", Issuer = "Corp" },
        new("HW-2", OtpDeviceType.Totp, OtpHashAlgorithm.Sha256, 6, 0, 60, -3, "12345678901234567890123456789012"u8.ToArray()),
    ];

    [Fact]
    public void WithAPreSharedKey_TheFileReadsBackToTheSameTokens_AndHoldsNoPlainSecret()
    {
        var file = Write(Key);

        var read = PskcReader.Read(new MemoryStream(file), new PskcDecryption(Key, null));

        Assert.Equal(Tokens.Select(Describe), read.Select(Describe));
        Assert.Equal(Tokens.Select(t => t.Secret), read.Select(t => t.Secret));
        var text = System.Text.Encoding.UTF8.GetString(file);
        Assert.DoesNotContain("PlainValue>MTIz", text, StringComparison.Ordinal);
        Assert.Contains("ValueMAC", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongKey_OrATamperedValue_IsRefusedByTheReader()
    {
        var file = System.Text.Encoding.UTF8.GetString(Write(Key));
        var cipher = System.Text.RegularExpressions.Regex.Matches(file, "<xenc:CipherValue>([^<]+)</xenc:CipherValue>")[1].Groups[1].Value;
        var flipped = (cipher[0] == 'A' ? "B" : "A") + cipher[1..];

        var wrongKey = Assert.Throws<TokenFileException>(() => PskcReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file)), new PskcDecryption(new byte[16], null)));
        var tampered = Assert.Throws<TokenFileException>(() => PskcReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file.Replace(cipher, flipped, StringComparison.Ordinal))), new PskcDecryption(Key, null)));

        Assert.Contains("a wrong key or password", wrongKey.Message, StringComparison.Ordinal);
        Assert.Contains("the ValueMAC does not match", tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAKey_NoSecretIsWritten_AndTheFileIsAnInventoryOnly()
    {
        var text = System.Text.Encoding.UTF8.GetString(Write(null));

        Assert.DoesNotContain("Secret", text, StringComparison.Ordinal);
        Assert.Contains("<SerialNo>HW-1</SerialNo>", text, StringComparison.Ordinal);
        Assert.Contains("no secret", Assert.Throws<TokenFileException>(() => PskcReader.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), PskcDecryption.None)).Message, StringComparison.Ordinal);
    }

    private static byte[] Write(byte[]? key)
    {
        using var output = new MemoryStream();
        PskcWriter.Write(output, Tokens, key);
        return output.ToArray();
    }

    private static string Describe(TokenSeed t) => $"{t.Serial} {t.Type} {t.Algorithm} {t.Digits} {t.Counter} {t.Period} {t.Drift} {t.Manufacturer} {t.Issuer}";
}
