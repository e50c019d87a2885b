using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Tokens;

namespace Idp.Otp.Tests.Tokens;

/// <summary>OATH CSV token files: HOTP and TOTP rows, checked against RFC 4226 Appendix D and RFC 6238 Appendix B.</summary>
public sealed class OathCsvReaderTests
{
    private const string Rfc4226Key = "3132333435363738393031323334353637383930";

    [Fact]
    public void HotpAndTotpRows_GiveTheRfcCodes()
    {
        var tokens = Read($"""
            serial, seed, type, digits, counter-or-step, user
            # a comment
            HOTP-0001, {Rfc4226Key}, hotp, 6, 1
            TOTP-0001, {Rfc4226Key}, TOTP, 8, 30, alice

            """);

        Assert.Equal(2, tokens.Count);
        Assert.Equal(("HOTP-0001", OtpDeviceType.Hotp, 1L, (string?)null), (tokens[0].Serial, tokens[0].Type, tokens[0].Counter, tokens[0].User));
        // RFC 4226 Appendix D, count 1; RFC 6238 Appendix B, T = 59 s, SHA-1.
        Assert.Equal(287082, Hotp.ComputeCode(tokens[0].Secret, tokens[0].Counter, tokens[0].Digits, tokens[0].Algorithm));
        Assert.Equal(("TOTP-0001", OtpDeviceType.Totp, 30, "alice"), (tokens[1].Serial, tokens[1].Type, tokens[1].Period, tokens[1].User));
        Assert.Equal(94287082, Hotp.ComputeCode(tokens[1].Secret, 59 / tokens[1].Period, tokens[1].Digits, tokens[1].Algorithm));
    }

    [Theory]
    [InlineData("T1, 31323g, hotp, 6, 0", "line 1: the seed of T1 is not hex")]
    [InlineData("T1, 313233343536373839303132333435, hotp, 6, 0", "line 1: the seed of T1 must be 16 to 128 bytes (RFC 4226 asks for at least 128 bits)")]
    [InlineData("T1, 3132333435363738393031323334353637383930, hotp, 6, 281474976710657", "line 1: the counter of T1 must be a whole number from 0 to 281474976710656")]
    [InlineData("T1, 3132333435363738393031323334353637383930, motp, 6, 0", "line 1: unknown type \"motp\" for T1")]
    [InlineData("T1, 3132333435363738393031323334353637383930, hotp, 5, 0", "line 1: the digits of T1 must be 6, 7 or 8")]
    [InlineData("T1, 3132333435363738393031323334353637383930, totp, 6, 0", "line 1: the step of T1 must be 15 to 300 seconds")]
    [InlineData("T1, 3132333435363738393031323334353637383930, hotp, 6, -1", "line 1: the counter of T1 must be a whole number")]
    [InlineData("T1, 3132333435363738393031323334353637383930, hotp", "line 1: 3 columns")]
    [InlineData("T1, 3132333435363738393031323334353637383930, hotp, 6, 0\nT2, 3132333435363738393031323334353637383930, hotp, 6, 0\nT1, 3132333435363738393031323334353637383930, totp, 6, 30", "line 3: the serial T1 appears twice")]
    [InlineData("# nothing but a comment", "file: it holds no token")]
    public void ABadRow_RefusesTheWholeFile_NamingTheLine(string file, string expected)
        => Assert.StartsWith(expected, Assert.Throws<TokenFileException>(() => Read(file)).Message, StringComparison.Ordinal);

    private static IReadOnlyList<TokenSeed> Read(string text) => OathCsvReader.Read(new StringReader(text));
}
