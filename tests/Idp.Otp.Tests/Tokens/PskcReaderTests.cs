using System.Text;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Tokens;

namespace Idp.Otp.Tests.Tokens;

/// <summary>
/// RFC 6030's own examples (Figures 2 to 7), read as an administrator imports them. The secret "12345678901234567890"
/// is RFC 4226's test key: at counter 0 its 8-digit HOTP code is 84755224 (Appendix D, 1284755224 truncated), which
/// proves a secret decrypted right rather than merely decrypted.
/// </summary>
public sealed class PskcReaderTests
{
    private static readonly byte[] PreSharedKey = Convert.FromHexString("12345678901234567890123456789012");

    /// <summary>RFC 4226's secret, "12345678901234567890", in Base64.</summary>
    private const string Rfc4226Secret = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=";

    /// <summary>Figure 2's secret is "1234", 32 bits: RFC 4226 §4 (R6) asks for at least 128, so no real token has it.</summary>
    [Fact]
    public void Figure2_ItsToySecret_IsRefused_NamingTheKeyByItsId()
    {
        var refused = Assert.Throws<TokenFileException>(() => Read("figure2.xml"));

        Assert.Equal("key 12345678", refused.Entry);
        Assert.Equal("the secret must be 16 to 128 bytes (RFC 4226 asks for at least 128 bits)", refused.Reason);
    }

    [Fact]
    public void Figure2_WithARealSecret_TakesItsKeyIdAsTheSerial()
    {
        var token = Assert.Single(ReadText(File.ReadAllText(Figure("figure2.xml")).Replace("MTIzNA==", Rfc4226Secret, StringComparison.Ordinal), PskcDecryption.None));

        Assert.Equal(("12345678", OtpDeviceType.Hotp, 6, 0L, "Issuer-A"), (token.Serial, token.Type, token.Digits, token.Counter, token.Issuer));
        Assert.Equal("755224", Code(token));
    }

    [Fact]
    public void Figure3_ThePlainRfc4226Key_GivesTheRfcCode()
    {
        var token = Assert.Single(Read("figure3.xml"));

        Assert.Equal(("987654321", "Manufacturer", 8, OtpHashAlgorithm.Sha1), (token.Serial, token.Manufacturer, token.Digits, token.Algorithm));
        Assert.Equal("84755224", Code(token));
    }

    [Fact]
    public void Figure4_AKeyWithoutASecret_IsRefused()
    {
        var refused = Assert.Throws<TokenFileException>(() => Read("figure4.xml"));

        Assert.Equal("key 987654321", refused.Entry);
        Assert.Contains("no secret", refused.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Figure5_ThePinKeyIsNotAToken()
    {
        var token = Assert.Single(Read("figure5.xml"));

        Assert.Equal("84755224", Code(token));
    }

    [Fact]
    public void Figure6_APreSharedKey_OpensTheSecret_AndItsMacIsChecked()
    {
        var token = Assert.Single(Read("figure6.xml", new PskcDecryption(PreSharedKey, null)));

        Assert.Equal("12345678901234567890"u8.ToArray(), token.Secret);
        Assert.Equal("84755224", Code(token));
    }

    [Fact]
    public void Figure7_ThePassword_OpensTheSecret()
    {
        var token = Assert.Single(Read("figure7.xml", new PskcDecryption(null, "qwerty")));

        Assert.Equal(("987654321", "TokenVendorAcme", "Example-Issuer"), (token.Serial, token.Manufacturer, token.Issuer));
        Assert.Equal("84755224", Code(token));
    }

    public static TheoryData<string, PskcDecryption, string> Refused => new()
    {
        { "figure6.xml", PskcDecryption.None, "give that key" },
        { "figure6.xml", new PskcDecryption(Convert.FromHexString("00000000000000000000000000000000"), null), "a wrong key or password" },
        { "figure6.xml", new PskcDecryption(Convert.FromHexString("1234"), null), "the key is 16 bits" },
        { "figure7.xml", PskcDecryption.None, "encrypted under a password" },
        { "figure7.xml", new PskcDecryption(null, "qwertz"), "a wrong key or password" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void AWrongOrMissingKey_IsRefused(string figure, PskcDecryption decryption, string expected)
        => Assert.Contains(expected, Assert.Throws<TokenFileException>(() => Read(figure, decryption)).Message, StringComparison.Ordinal);

    [Fact]
    public void AValueMacThatDoesNotMatch_IsRefused_UnlessToldToIgnoreIt()
    {
        var tampered = File.ReadAllText(Figure("figure6.xml")).Replace("Su+NvtQfmvfJzF6bmQiJqoLRExc=", "Tu+NvtQfmvfJzF6bmQiJqoLRExc=", StringComparison.Ordinal);

        var refused = Assert.Throws<TokenFileException>(() => ReadText(tampered, new PskcDecryption(PreSharedKey, null)));
        var ignored = ReadText(tampered, new PskcDecryption(PreSharedKey, null) { IgnoreMacMismatch = true });

        Assert.Contains("the ValueMAC does not match", refused.Message, StringComparison.Ordinal);
        Assert.Equal("84755224", Code(Assert.Single(ignored)));
    }

    public static TheoryData<string, string, string> Broken => new()
    {
        { "urn:ietf:params:xml:ns:keyprov:pskc:hotp\"", "urn:ietf:params:xml:ns:keyprov:pskc:ocra\"", "unknown algorithm" },
        { Rfc4226Secret, "MTIz!A==", "PlainValue is not Base64" },
        { "<Issuer>Issuer-A</Issuer>", "<Issuer>Issuer-A</Issuer><AlgorithmParameters><ResponseFormat Length=\"9\" Encoding=\"DECIMAL\"/></AlgorithmParameters>", "9 digits" },
        { "<Issuer>Issuer-A</Issuer>", "<Issuer>Issuer-A</Issuer><AlgorithmParameters><ResponseFormat Length=\"6\" Encoding=\"HEXADECIMAL\"/></AlgorithmParameters>", "only DECIMAL" },
        { "<Issuer>Issuer-A</Issuer>", "<Issuer>Issuer-A</Issuer><AlgorithmParameters><Suite>HMAC-MD5</Suite></AlgorithmParameters>", "unknown algorithm suite" },
        { "</Secret>", "</Secret><Counter><PlainValue>ten</PlainValue></Counter>", "Counter is not an integer" },
        { "Version=\"1.0\"", "Version=\"2.0\"", "not a PSKC 1.0 KeyContainer" },
        { "</KeyPackage>", "</KeyPackage><KeyPackage><Key Id=\"12345678\" Algorithm=\"urn:ietf:params:xml:ns:keyprov:pskc:hotp\"><Data><Secret><PlainValue>MTIzNDU2Nzg5MDEyMzQ1Njc4OTA=</PlainValue></Secret></Data></Key></KeyPackage>", "appears twice" },
        { "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", "<?xml version=\"1.0\"?><!DOCTYPE KeyContainer [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>", "not well-formed XML" },
        { "xmlns=\"urn:ietf:params:xml:ns:keyprov:pskc\"", "xmlns=\"urn:example:not-pskc\"", "not a PSKC 1.0 KeyContainer" },
    };

    /// <summary>Each broken copy of Figure 2 is refused whole, naming why; a DTD (and so any external entity) is never read.</summary>
    [Theory]
    [MemberData(nameof(Broken))]
    public void ABrokenFile_IsRefused_NamingWhy(string original, string replacement, string expected)
    {
        var text = File.ReadAllText(Figure("figure2.xml")).Replace("MTIzNA==", Rfc4226Secret, StringComparison.Ordinal);
        Assert.Contains(original, text, StringComparison.Ordinal);

        var refused = Assert.Throws<TokenFileException>(() => ReadText(text.Replace(original, replacement, StringComparison.Ordinal), PskcDecryption.None));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOversizedFile_IsRefused()
    {
        var padding = new string(' ', TokenFileLimits.MaxBytes);
        var text = File.ReadAllText(Figure("figure2.xml")).Replace("<KeyPackage>", "<KeyPackage>" + padding, StringComparison.Ordinal);

        Assert.Contains("not well-formed XML", Assert.Throws<TokenFileException>(() => ReadText(text, PskcDecryption.None)).Message, StringComparison.Ordinal);
    }

    private static string Code(TokenSeed token) => Hotp.Format(Hotp.ComputeCode(token.Secret, token.Counter, token.Digits, token.Algorithm), token.Digits);

    private static string Figure(string name) => Path.Combine(AppContext.BaseDirectory, "Tokens", "rfc6030", name);

    private static IReadOnlyList<TokenSeed> Read(string figure, PskcDecryption? decryption = null)
    {
        using var file = File.OpenRead(Figure(figure));
        return PskcReader.Read(file, decryption ?? PskcDecryption.None);
    }

    private static IReadOnlyList<TokenSeed> ReadText(string text, PskcDecryption decryption)
    {
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(text));
        return PskcReader.Read(file, decryption);
    }
}
