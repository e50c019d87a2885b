namespace Idp.Browser.Tests;

/// <summary>
/// One browser: a fresh context (its own cookies and storage, like a new profile) in the run's Chromium (Debian's, at
/// /usr/bin/chromium: Playwright's own download does not work here, see <see cref="SharedChromium"/>), recording every
/// request so tests can prove nothing leaves for a third-party host.
/// Screenshots go to TestResults/screenshots as artefacts.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> _requests = [];
    private readonly string _screenshots;

    private BrowserSession(IBrowserContext context, IPage page, string testName)
    {
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
        var context = await SharedChromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1024, Height = 800 } });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page, testName);
    }

    public Task ScreenshotAsync(string name) => Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_screenshots, name + ".png"), FullPage = true });

    public ValueTask DisposeAsync() => new(SharedChromium.CloseContextAsync(Context));
}
