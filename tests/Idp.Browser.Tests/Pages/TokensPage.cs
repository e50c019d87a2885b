namespace Idp.Browser.Tests.Pages;

/// <summary>/admin/tokens and a token's own page: the upload, and the actions, each in its own form.</summary>
internal sealed class TokensPage(IPage page, Uri baseUrl)
{
    public ILocator Status => page.GetByRole(AriaRole.Status);

    public ILocator State => page.Locator("#token-state");

    public async Task UploadAsync(string path, string preSharedKey)
    {
        await page.GotoAsync(new Uri(baseUrl, "admin/tokens").ToString());
        await page.GetByLabel("Token file").SetInputFilesAsync(path);
        await page.GetByLabel("Pre-shared key").FillAsync(preSharedKey);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Import" }).ClickAsync();
    }

    public async Task OpenAsync(string serial)
    {
        await page.GotoAsync(new Uri(baseUrl, "admin/tokens").ToString());
        await page.GetByLabel("Serial or holder contains").FillAsync(serial);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = serial, Exact = true }).ClickAsync();
    }

    public async Task AssignAsync(string userName, string reason)
    {
        var form = Form("Assign the token");
        await form.GetByLabel("Username or e-mail address").FillAsync(userName);
        await form.GetByLabel("Reason").FillAsync(reason);
        await form.GetByRole(AriaRole.Button).ClickAsync();
    }

    public async Task SetStateAsync(string button, string reason)
    {
        var form = Form(button);
        await form.GetByLabel("Reason").FillAsync(reason);
        await form.GetByRole(AriaRole.Button).ClickAsync();
    }

    public async Task ResyncAsync(string first, string next)
    {
        var form = Form("Resynchronise");
        await form.GetByLabel("First code").FillAsync(first);
        await form.GetByLabel("Next code").FillAsync(next);
        await form.GetByRole(AriaRole.Button).ClickAsync();
    }

    private ILocator Form(string button)
        => page.Locator("form", new PageLocatorOptions { Has = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = button, Exact = true }) });
}
