namespace Idp.Browser.Tests.Pages;

/// <summary>The sample relying party (samples/): its home page, the claims it shows, and its call to its own API.</summary>
internal sealed class SampleAppPage(IPage page)
{
    public ILocator SignInLink => page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Sign in with Idp" });

    public ILocator SignedInHeading => page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "Signed in" });

    public ILocator ApiAnsweredHeading => page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = "The API answered 200" });

    public ILocator ApiAnswer => page.Locator("#api-answer");

    public Task SignInAsync() => SignInLink.ClickAsync();

    /// <summary>Every value of one claim in the table of the ID token's claims.</summary>
    public Task<IReadOnlyList<string>> ClaimAsync(string type) => page.Locator($"td[data-claim={type}]").AllInnerTextsAsync();

    public Task CallTheApiAsync() => page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "Call the API with the access token" }).ClickAsync();

    public Task SignOutAsync() => page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign out" }).ClickAsync();
}
