namespace Idp.Browser.Tests.Pages;

/// <summary>The first-administrator page reached from the setup link.</summary>
internal sealed class SetupPage(IPage page)
{
    public async Task CreateAdministratorAsync(string userName, string password)
    {
        await page.GetByLabel("Username").FillAsync(userName);
        await page.GetByLabel("Password", new PageGetByLabelOptions { Exact = true }).FillAsync(password);
        await page.GetByLabel("Repeat the password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Create administrator" }).ClickAsync();
    }

    public ILocator Heading => page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Level = 1 });
}
