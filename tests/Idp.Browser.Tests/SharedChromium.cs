[assembly: AssemblyFixture(typeof(Idp.Browser.Tests.SharedChromium))]

namespace Idp.Browser.Tests;

/// <summary>
/// One Chromium process for the whole run; each <see cref="BrowserSession"/> is a new browser context in it, which
/// Playwright makes as separate as a fresh profile (its own cookies, storage and cache). Launching the driver and
/// Chromium cost about two seconds of this machine's two cores per session, and the stories open thirteen.
/// </summary>
public sealed class SharedChromium : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    private static IPlaywright? _playwright;

    private static IBrowser? _browser;

    /// <summary>The run's Chromium, launched by the first session that asks (again, should it have crashed).</summary>
    internal static async Task<IBrowser> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_browser is { IsConnected: true })
            {
                return _browser;
            }

            if (!File.Exists(ChromiumPath))
            {
                throw new InvalidOperationException($"{ChromiumPath} is missing: install the Debian package 'chromium' (./test.sh does).");
            }

            _playwright ??= await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return _browser;
        }
        finally
        {
            Gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}
