namespace Idp.Browser.Tests.Pages;

/// <summary>The second step's code page.</summary>
internal sealed class CodePage(IPage page)
{
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    /// <summary>What the page tells the person (an expired device, a new key to set up).</summary>
    public ILocator Notice => page.GetByRole(AriaRole.Status);

    public async Task EnterAsync(string code)
    {
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Continue" }).ClickAsync();
    }
}
