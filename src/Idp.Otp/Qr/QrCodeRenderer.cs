using QRCoder;

namespace Idp.Otp.Qr;

/// <summary>Renders an otpauth URI as a QR code: inline SVG for pages (no external request) and PNG for downloads and tests.</summary>
public static class QrCodeRenderer
{
    // Medium error correction: readable from a phone camera at the sizes we render, with room for a smudged screen.
    private const QRCodeGenerator.ECCLevel Ecc = QRCodeGenerator.ECCLevel.M;

    public static string Svg(string text, int sizePixels)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Ecc);
        var svg = new SvgQRCode(data);
        return svg.GetGraphic(PixelsPerModule(data, sizePixels), "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    public static byte[] Png(string text, int sizePixels)
    {
        using var data = QRCodeGenerator.GenerateQrCode(text, Ecc);
        return new PngByteQRCode(data).GetGraphic(PixelsPerModule(data, sizePixels));
    }

    /// <summary>Whole pixels per module, so edges stay sharp; the code is at most the requested size, and at least 2 px a module.</summary>
    private static int PixelsPerModule(QRCodeData data, int sizePixels) => Math.Max(2, sizePixels / data.ModuleMatrix.Count);
}
