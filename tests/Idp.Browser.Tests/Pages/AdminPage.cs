namespace Idp.Browser.Tests.Pages;

/// <summary>/admin: finding a user, acting on them through the confirmation page, reading the audit trail.</summary>
internal sealed class AdminPage(IPage page, Uri baseUrl)
{
    public ILocator Status => page.GetByRole(AriaRole.Status);

    public async Task OpenUserAsync(string userName)
    {
        await page.GotoAsync(new Uri(baseUrl, "admin").ToString());
        await page.GetByLabel("Find a user").FillAsync(userName[..2]);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = userName, Exact = true }).ClickAsync();
    }

    public async Task RemoveDeviceAsync(string deviceName, string reason)
    {
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = $"Remove “{deviceName}”…" }).ClickAsync();
        await page.GetByLabel("Reason").FillAsync(reason);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { NameRegex = new System.Text.RegularExpressions.Regex("^Confirm") }).ClickAsync();
    }

    /// <summary>The audit page for one user; rows are written a moment after the action, so it reloads until <paramref name="expected"/> shows.</summary>
    public async Task<string> AuditTextAsync(string userName, params string[] expected)
    {
        var text = string.Empty;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await page.GotoAsync(new Uri(baseUrl, $"admin/audit?user={Uri.EscapeDataString(userName)}").ToString());
            text = await page.Locator("main").InnerTextAsync();
            if (expected.All(e => text.Contains(e, StringComparison.Ordinal)))
            {
                break;
            }

            await Task.Delay(250);
        }

        return text;
    }
}
