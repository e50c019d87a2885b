namespace Idp.Browser.Tests;

/// <summary>
/// One Chromium (Debian's, at /usr/bin/chromium: Playwright's own download does not work here) with a fresh
/// profile, recording every request so tests can prove nothing leaves for a third-party host.
/// Screenshots go to TestResults/screenshots as artefacts.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly List<string> _requests = [];
    private readonly string _screenshots;

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, string testName)
    {
        _playwright = playwright;
        _browser = browser;
        Context = context;
        Page = page;
        _screenshots = Path.Combine(RepositoryRoot.Path, "TestResults", "screenshots", testName);
        Directory.CreateDirectory(_screenshots);
        page.Request += (_, request) =>
        {
            lock (_requests)
            {
                _requests.Add(request.Url);
            }
        };
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public string ScreenshotFolder => _screenshots;

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<BrowserSession> StartAsync(string testName)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install the Debian package 'chromium' (./test.sh does).");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 800 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(playwright, browser, context, page, testName);
    }

    public Task ScreenshotAsync(string name) => Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
