using Idp.Hosting;
using Microsoft.AspNetCore.Hosting;

namespace Idp.Testing;

/// <summary>The real app on Kestrel on a loopback port of the kernel's pick, for browsers and load generators.</summary>
public sealed class IdpServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private IdpServerHost(WebApplication app, Uri baseUrl, CapturingSetupLinkAnnouncer links)
    {
        _app = app;
        BaseUrl = baseUrl;
        SetupLinks = links;
    }

    public Uri BaseUrl { get; }

    public CapturingSetupLinkAnnouncer SetupLinks { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="time">A clock the test moves (expiry), instead of the system clock.</param>
    /// <param name="services">Services registered before the app's own: they replace those the app registers with TryAdd (a benchmark's cheap password hash).</param>
    /// <remarks>
    /// The issuer names the port and is validated before Kestrel binds, so the port is the kernel's pick (port 0) on a
    /// socket bound first, which Kestrel then listens on (<see cref="LoopbackListenSocket"/>).
    /// </remarks>
    public static async Task<IdpServerHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, MutableTimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        using var socket = LoopbackListenSocket.Bind();
        var baseUrl = new Uri($"http://localhost:{socket.Port}/");
        var links = new CapturingSetupLinkAnnouncer();
        var configuration = IdpTestHost.DefaultSettings(TestSecrets.Key);
        configuration["Idp:Issuer"] = baseUrl.ToString().TrimEnd('/');
        foreach (var (key, value) in database.Settings().Concat(settings ?? new Dictionary<string, string?>()))
        {
            configuration[key] = value;
        }

        var app = IdpApplication.Build(["--environment", "Production", "--urls", socket.Url], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.WebHost.UseSockets(socket.HandTo);
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<Idp.Accounts.ISetupLinkAnnouncer>(links);
            builder.Services.AddSingleton<Idp.Oidc.Keys.ISigningKeyGenerator, PooledSigningKeyGenerator>();
            if (time is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(time);
            }

            services?.Invoke(builder.Services);
        });
        await app.StartAsync();
        return new IdpServerHost(app, baseUrl, links);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
