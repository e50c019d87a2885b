namespace Idp.Browser.Tests.Pages;

/// <summary>The second step's code page.</summary>
internal sealed class CodePage(IPage page)
{
    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public async Task EnterAsync(string code)
    {
        await page.GetByLabel("Code").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Continue" }).ClickAsync();
    }
}
