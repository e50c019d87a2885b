using Idp.Accounts;
using Idp.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Idp.Testing;

/// <summary>
/// The real app, composed by <see cref="IdpApplication"/>, on an in-memory server over a real database. Production
/// environment by default, so secure-cookie and configuration rules are the ones operators get.
/// </summary>
public sealed class IdpTestHost : IAsyncDisposable
{
    public const string BaseUrl = "https://idp.test/";

    private readonly WebApplication _app;

    private IdpTestHost(WebApplication app, CapturingSetupLinkAnnouncer links, CapturingLoggerProvider logs, MutableTimeProvider time)
    {
        _app = app;
        SetupLinks = links;
        Logs = logs;
        Time = time;
    }

    public IServiceProvider Services => _app.Services;

    public CapturingSetupLinkAnnouncer SetupLinks { get; }

    public CapturingLoggerProvider Logs { get; }

    public MutableTimeProvider Time { get; }

    /// <summary>Settings every test host gets; a test's own settings override them.</summary>
    public static Dictionary<string, string?> DefaultSettings(string secretKeyBase64) => new()
    {
        ["Idp:Issuer"] = BaseUrl.TrimEnd('/'),
        ["Idp:Secrets:Key"] = secretKeyBase64,
        // Tests send from one address; the limits have their own tests.
        ["Idp:RateLimits:SignInPerMinute"] = "10000",
        ["Idp:RateLimits:AuthorizePerMinute"] = "100000",
        ["Idp:RateLimits:TokenPerMinute"] = "100000",
        ["Idp:RateLimits:TokenInspectionPerMinute"] = "100000",
        ["Idp:RateLimits:AdminApiPerMinute"] = "100000",
    };

    /// <param name="services">Services a test adds to the real app (a fake kind of second factor, for one).</param>
    public static async Task<IdpTestHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, string environment = "Production", MutableTimeProvider? time = null, string? secretKey = null, Action<IServiceCollection>? services = null)
    {
        var links = new CapturingSetupLinkAnnouncer();
        var logs = new CapturingLoggerProvider();
        var clock = time ?? new MutableTimeProvider();
        var configuration = DefaultSettings(secretKey ?? TestSecrets.Key);
        configuration["Logging:LogLevel:Default"] = "Information";
        foreach (var (key, value) in database.Settings())
        {
            configuration[key] = value;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var app = IdpApplication.Build(["--environment", environment], builder =>
        {
            builder.WebHost.UseTestServer();
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton<ISetupLinkAnnouncer>(links);
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.AddSingleton<Idp.Oidc.Keys.ISigningKeyGenerator, PooledSigningKeyGenerator>();
            // The suite signs in thousands of times; the cost operators get is held by PasswordHashCostTests.
            builder.Services.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1_000);
            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new IdpTestHost(app, links, logs, clock);
    }

    /// <summary>A client with its own cookie jar, like one browser.</summary>
    public HttpClient CreateBrowser() => CreateBrowser(out _);

    /// <summary>A browser whose cookie jar the test can read and plant cookies in, as an attacker on a sibling host could.</summary>
    public HttpClient CreateBrowser(out System.Net.CookieContainer cookies, System.Net.IPAddress? from = null)
    {
        // TestServer has no socket: the connection's address is whatever the test says it is.
        var handler = new CookieHandler(from is null ? _app.GetTestServer().CreateHandler() : _app.GetTestServer().CreateHandler(context => context.Connection.RemoteIpAddress = from));
        cookies = handler.Cookies;
        return new HttpClient(handler) { BaseAddress = new Uri(BaseUrl) };
    }

    /// <summary>The same browser (its cookie jar) sent to this node, as a load balancer would.</summary>
    public HttpClient CreateBrowserSharing(System.Net.CookieContainer cookies)
        => new(new CookieHandler(_app.GetTestServer().CreateHandler(), cookies)) { BaseAddress = new Uri(BaseUrl) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
