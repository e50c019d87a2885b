using System.Text;
using Idp.Otp.Codecs;

namespace Idp.Otp.Tests;

/// <summary>RFC 4648 §10 test vectors, plus the lenient reading LemonLDAP::NG records and typed keys need.</summary>
public sealed class Base32Tests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("f", "MY======")]
    [InlineData("fo", "MZXQ====")]
    [InlineData("foo", "MZXW6===")]
    [InlineData("foob", "MZXW6YQ=")]
    [InlineData("fooba", "MZXW6YTB")]
    [InlineData("foobar", "MZXW6YTBOI======")]
    public void Encode_Rfc4648Section10_MatchesVector(string input, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);

        Assert.Equal(expected, Base32.Encode(bytes, padding: true));
        Assert.Equal(expected.TrimEnd('='), Base32.Encode(bytes));
        Assert.True(Base32.TryDecode(expected, out var decoded));
        Assert.Equal(input, Encoding.ASCII.GetString(decoded));
    }

    [Theory]
    [InlineData("mzxw6ytboi")]
    [InlineData("MZXW 6YTB OI")]
    [InlineData("mzxw-6ytb-oi======")]
    [InlineData("MzXw6YtBoI")]
    public void TryDecode_LowerCaseSpacesDashesPadding_Accepted(string input)
    {
        Assert.True(Base32.TryDecode(input, out var decoded));
        Assert.Equal("foobar", Encoding.ASCII.GetString(decoded));
    }

    [Theory]
    [InlineData("MZXW1")] // '1' is not in the alphabet
    [InlineData("MZXW6YT=B")] // data after padding
    [InlineData("M")] // one symbol cannot encode a byte
    [InlineData("MZX")] // nor three
    [InlineData("MZXW6Y")] // nor six
    [InlineData("MZXW6===X")]
    [InlineData("MY=====")] // padding that does not complete a quantum
    public void TryDecode_Malformed_Refused(string input)
    {
        Assert.False(Base32.TryDecode(input, out _));
    }

    [Fact]
    public void Encode_Default_IsUpperCaseWithoutPadding()
    {
        var text = Base32.Encode(Encoding.ASCII.GetBytes("12345678901234567890"));

        Assert.Equal("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", text);
    }
}
