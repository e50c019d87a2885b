using System.Text;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Uris;

namespace Idp.Otp.Tests;

public sealed class OtpAuthUriTests
{
    private static readonly byte[] Seed = Encoding.ASCII.GetBytes("12345678901234567890");

    [Fact]
    public void Build_Defaults_KeyUriFormat()
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Totp, "Example", "alice@example.com", Seed, OtpHashAlgorithm.Sha1, 6, 30);

        Assert.Equal("otpauth://totp/Example:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&algorithm=SHA1&digits=6&period=30", uri);
    }

    [Fact]
    public void Build_SpacesAndNonAscii_PercentEncodedUtf8NeverPlus()
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Totp, "Société Générale", "jean dupont", Seed, OtpHashAlgorithm.Sha256, 8, 60);

        Assert.StartsWith("otpauth://totp/Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale:jean%20dupont?", uri, StringComparison.Ordinal);
        Assert.Contains("&issuer=Soci%C3%A9t%C3%A9%20G%C3%A9n%C3%A9rale&algorithm=SHA256&digits=8&period=60", uri, StringComparison.Ordinal);
        Assert.DoesNotContain('+', uri);
    }

    [Fact]
    public void Build_ColonInIssuer_DoesNotMoveTheLabelSeparator()
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Totp, "ACME: Payroll", "bob:smith", Seed, OtpHashAlgorithm.Sha1, 6, 30);
        var label = Uri.UnescapeDataString(new Uri(uri).AbsolutePath.TrimStart('/'));

        // Apps split the decoded label at its first colon: issuer before, account after.
        var separator = label.IndexOf(':', StringComparison.Ordinal);
        Assert.Equal("ACME- Payroll", label[..separator]);
        Assert.Equal("bob:smith", label[(separator + 1)..]);
        Assert.Contains("issuer=ACME-%20Payroll", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_Hotp_HasCounterNotPeriod()
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Hotp, "Example", "alice", Seed, OtpHashAlgorithm.Sha1, 6, 30, counter: 7);

        Assert.StartsWith("otpauth://hotp/", uri, StringComparison.Ordinal);
        Assert.EndsWith("&counter=7", uri, StringComparison.Ordinal);
        Assert.DoesNotContain("period", uri, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_EmptyIssuer_LabelIsAccountOnly()
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Totp, "", "alice", Seed, OtpHashAlgorithm.Sha1, 6, 30);

        Assert.StartsWith("otpauth://totp/alice?secret=", uri, StringComparison.Ordinal);
        Assert.DoesNotContain("issuer=", uri, StringComparison.Ordinal);
    }
}
