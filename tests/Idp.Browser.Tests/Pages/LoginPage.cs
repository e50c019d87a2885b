namespace Idp.Browser.Tests.Pages;

/// <summary>The sign-in page.</summary>
internal sealed class LoginPage(IPage page)
{
    public ILocator Notice => page.GetByRole(AriaRole.Status);

    public ILocator Error => page.GetByRole(AriaRole.Alert);

    public ILocator UserName => page.GetByLabel("Username or e-mail");

    public ILocator Password => page.GetByLabel("Password");

    public async Task SignInAsync(string login, string password)
    {
        await UserName.FillAsync(login);
        await Password.FillAsync(password);
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in with the keyboard only: focus, typing, Tab, Enter.</summary>
    public async Task SignInWithKeyboardAsync(string login, string password)
    {
        await UserName.FocusAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync(login);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(password);
        await page.Keyboard.PressAsync("Enter");
    }
}
