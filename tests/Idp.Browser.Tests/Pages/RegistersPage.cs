namespace Idp.Browser.Tests.Pages;

/// <summary>/2fregisters.</summary>
internal sealed class RegistersPage(IPage page)
{
    public ILocator Status => page.GetByRole(AriaRole.Status);

    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public ILocator Rows => page.Locator("tbody tr");

    /// <summary>With a device registered already, adding another needs a fresh code from one.</summary>
    public async Task AddAsync(string code)
    {
        await page.GetByLabel("A fresh code from one of your devices").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Register a new device" }).ClickAsync();
    }

    public async Task RemoveAsync(string deviceName, string code)
    {
        await page.GetByLabel("Device", new PageGetByLabelOptions { Exact = true }).Last.SelectOptionAsync(new SelectOptionValue { Label = deviceName });
        await page.Locator("form[action='/2fregisters/remove']").GetByLabel("A fresh code from this device or one you registered before this session").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Remove" }).ClickAsync();
    }
}
