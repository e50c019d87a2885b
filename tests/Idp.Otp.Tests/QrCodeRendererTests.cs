using System.Text;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Qr;
using Idp.Otp.Uris;
using Idp.Testing;

namespace Idp.Otp.Tests;

public sealed class QrCodeRendererTests
{
    [Theory]
    [InlineData("Example", "alice@example.com", 6, 30)]
    [InlineData("Société: Générale", "jean dupont", 8, 60)]
    public async Task Png_DecodedByJsQr_GivesExactlyTheUri(string issuer, string account, int digits, int period)
    {
        var uri = OtpAuthUri.Build(OtpDeviceType.Totp, issuer, account, Encoding.ASCII.GetBytes("12345678901234567890"), OtpHashAlgorithm.Sha1, digits, period);
        var file = Path.Combine(Path.GetTempPath(), $"idp-qr-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, QrCodeRenderer.Png(uri, 240), TestContext.Current.CancellationToken);
        try
        {
            var decoded = await ExternalTool.NodeScriptAsync("decode-qr.mjs", file);

            Assert.True(decoded.ExitCode == 0, decoded.StandardError);
            Assert.Equal(uri, decoded.StandardOutput);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Svg_IsSelfContained()
    {
        var svg = QrCodeRenderer.Svg("otpauth://totp/Example:alice?secret=GEZDGNBV", 240);

        Assert.StartsWith("<svg", svg.TrimStart(), StringComparison.Ordinal);
        Assert.Contains("viewBox", svg, StringComparison.Ordinal);
        Assert.DoesNotContain("href", svg, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", svg, StringComparison.OrdinalIgnoreCase);
    }
}
