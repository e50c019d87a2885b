using System.Text;
using Idp.Radius.Codec;

namespace Idp.Tests.Validation;

/// <summary>The codec against RFC 2865 §7.1 ("User Telnet to Specified Host": nemo, arctangent, secret xyzzy5461) and RFC 3579 §3.2.</summary>
public sealed class RadiusCodecTests
{
    private static readonly byte[] Secret = Encoding.ASCII.GetBytes("xyzzy5461");

    private static readonly byte[] Request = Convert.FromHexString(
        "010000380f403f9473978057bd83d5cb98f4227a01066e656d6f02120dbe708d93d413ce3196e43f782a0aee0406c0a801100506" + "00000003");

    private static readonly byte[] Accept = Convert.FromHexString(
        "0200002686fe220e7624ba2a1005f6bf9b55e0b20606000000010f06000000000e06c0a80103");

    [Fact]
    public void TheRfcAccessRequest_ReadsAsNemoWithArctangent()
    {
        Assert.True(RadiusPacketReader.TryRead(Request, out var packet, out var problem), problem);

        Assert.Equal(RadiusCode.AccessRequest, packet!.Code);
        Assert.Equal(0, packet.Identifier);
        Assert.Equal(4, packet.Attributes.Count);
        Assert.Equal("nemo", Encoding.ASCII.GetString(packet.First(RadiusAttributeType.UserName)!));
        Assert.Equal("arctangent", Encoding.ASCII.GetString(RadiusCrypto.RevealPassword(packet.First(RadiusAttributeType.UserPassword), Secret, packet.Authenticator)!));
    }

    [Fact]
    public void HidingArctangent_GivesTheRfcsUserPassword()
    {
        var authenticator = Request[4..20];

        Assert.Equal(Request[28..44], RadiusCrypto.HidePassword(Encoding.ASCII.GetBytes("arctangent"), Secret, authenticator));
    }

    [Fact]
    public void TheRfcAccessAccept_IsWrittenAndSignedByteForByte()
    {
        var authenticator = Request[4..20];
        var attributes = new[]
        {
            new RadiusAttribute(6, [0, 0, 0, 1]),     // Service-Type = Login-User
            new RadiusAttribute(15, [0, 0, 0, 0]),    // Login-Service = Telnet
            new RadiusAttribute(14, [192, 168, 1, 3]), // Login-IP-Host
        };

        var response = RadiusPacketWriter.Write(RadiusCode.AccessAccept, 0, authenticator, attributes);
        RadiusCrypto.SignResponse(response, authenticator, Secret);

        Assert.Equal(Accept, response);
    }

    [Fact]
    public void AMessageAuthenticator_VerifiesUnderItsSecret_AndNotAfterAnyChange()
    {
        var authenticator = Request[4..20];
        var request = RadiusPacketWriter.Write(RadiusCode.AccessRequest, 7, authenticator, [new(RadiusAttributeType.MessageAuthenticator, new byte[16]), new(RadiusAttributeType.UserName, "nemo"u8.ToArray())]);
        RadiusCrypto.SignMessage(request, 22, authenticator, Secret);
        var tampered = (byte[])request.Clone();
        tampered[^1] ^= 1;

        Assert.True(RadiusCrypto.MessageAuthenticatorValid(request, 22, Secret));
        Assert.False(RadiusCrypto.MessageAuthenticatorValid(request, 22, "another secret"u8));
        Assert.False(RadiusCrypto.MessageAuthenticatorValid(tampered, 22, Secret));
        Assert.Equal(22, RadiusCrypto.ValueOffset(request, RadiusAttributeType.MessageAuthenticator));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "too short", "0100001400" },
        { "Length past the datagram", "01000040" + new string('0', 32) },
        { "Length under 20", "01000013" + new string('0', 32) },
        { "attribute Length 0", "01000018" + new string('0', 32) + "01000000" },
        { "attribute Length 2", "01000018" + new string('0', 32) + "01026e6e" },
        { "attribute past the packet", "01000018" + new string('0', 32) + "010a6e6e" },
        { "a lone attribute type", "01000015" + new string('0', 32) + "01" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void AMalformedDatagram_IsRefusedWithAReason(string why, string hex)
    {
        Assert.False(RadiusPacketReader.TryRead(Convert.FromHexString(hex), out var packet, out var problem), why);
        Assert.Null(packet);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(144)]
    public void AUserPasswordThatIsNotWholeBlocks_RevealsNothing(int length)
        => Assert.Null(RadiusCrypto.RevealPassword(new byte[length], Secret, new byte[16]));
}
