namespace Idp.Browser.Tests.Pages;

/// <summary>The signed-in person's account page, with the way out.</summary>
internal sealed class AccountPage(IPage page)
{
    public ILocator UserName => page.Locator("#account-username");

    public async Task SignOutAsync()
    {
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
    }
}
