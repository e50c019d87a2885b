namespace Idp.Browser.Tests.Pages;

/// <summary>/2fregisters.</summary>
internal sealed class RegistersPage(IPage page)
{
    public ILocator Status => page.GetByRole(AriaRole.Status);

    public ILocator Rows => page.Locator("tbody tr");

    public Task AddAsync() => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Register a new device" }).ClickAsync();

    public async Task RemoveAsync(string deviceName, string code)
    {
        await page.GetByLabel("Device", new PageGetByLabelOptions { Exact = true }).Last.SelectOptionAsync(new SelectOptionValue { Label = deviceName });
        await page.GetByLabel("A fresh code from any of your devices").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Remove" }).ClickAsync();
    }
}
