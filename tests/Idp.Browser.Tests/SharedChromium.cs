[assembly: AssemblyFixture(typeof(Idp.Browser.Tests.SharedChromium))]

namespace Idp.Browser.Tests;

/// <summary>
/// One Chromium process for the whole run; each <see cref="BrowserSession"/> is a new browser context in it, which
/// Playwright makes as separate as a fresh profile (its own cookies, storage and cache). Launching the driver and
/// Chromium cost about two seconds of this machine's two cores per session, and the stories open thirteen.
/// </summary>
public sealed class SharedChromium : IAsyncDisposable
{
    private const string ChromiumPath = "/usr/bin/chromium";

    // Playwright keeps a browser's contexts in a list it does not lock (microsoft/playwright-dotnet#2979): two tests
    // opening or closing a context at once could corrupt it, so both go through this gate.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private static IPlaywright? _playwright;

    private static IBrowser? _browser;

    /// <summary>A new context in the run's Chromium, launched by the first session that asks (again, should it have crashed).</summary>
    internal static async Task<IBrowserContext> NewContextAsync(BrowserNewContextOptions options)
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is not { IsConnected: true })
            {
                await CloseAsync();
                _browser = await LaunchAsync();
            }

            return await _browser.NewContextAsync(options);
        }
        finally
        {
            Gate.Release();
        }
    }

    internal static async Task CloseContextAsync(IBrowserContext context)
    {
        await Gate.WaitAsync();
        try
        {
            await context.CloseAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            await CloseAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<IBrowser> LaunchAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install the Debian package 'chromium' (./test.sh does).");
        }

        _playwright = await Playwright.CreateAsync();
        return await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Closes the browser and its driver, a crashed one included; the next session launches both anew.</summary>
    private static async Task CloseAsync()
    {
        try
        {
            if (_browser is { IsConnected: true })
            {
                await _browser.CloseAsync();
            }
        }
        finally
        {
            _browser = null;
            _playwright?.Dispose();
            _playwright = null;
        }
    }
}
