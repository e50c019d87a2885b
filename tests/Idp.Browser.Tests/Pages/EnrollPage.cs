using System.Web;
using Idp.Otp.Codecs;

namespace Idp.Browser.Tests.Pages;

/// <summary>The enrollment page. The key is read the way a phone would: from the QR code on screen, decoded by jsQR.</summary>
internal sealed class EnrollPage(IPage page)
{
    public ILocator Heading => page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 });

    /// <summary>Why the person is enrolling (a device that expired, a first device the policy requires).</summary>
    public ILocator Notice => page.GetByRole(AriaRole.Status);

    public async Task<(string Uri, byte[] Seed)> ScanQrCodeAsync(string screenshotFolder)
    {
        var file = Path.Combine(screenshotFolder, "qr-scanned.png");
        await page.Locator("figure.qr").ScreenshotAsync(new LocatorScreenshotOptions { Path = file });
        var decoded = await ExternalTool.NodeScriptAsync("decode-qr.mjs", file);
        Assert.True(decoded.ExitCode == 0, decoded.StandardError);
        var uri = new Uri(decoded.StandardOutput);
        Assert.True(Base32.TryDecode(HttpUtility.ParseQueryString(uri.Query)["secret"], out var seed));
        return (decoded.StandardOutput, seed);
    }

    public async Task SaveAsync(string name, string code)
    {
        await page.GetByLabel("Device name").FillAsync(name);
        await page.GetByLabel("Code from the app").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Save and continue" }).ClickAsync();
    }
}
