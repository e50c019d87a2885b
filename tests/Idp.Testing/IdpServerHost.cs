using System.Net;
using System.Net.Sockets;
using Idp.Hosting;

namespace Idp.Testing;

/// <summary>The real app on Kestrel on a free loopback port, for browsers and load generators.</summary>
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
    /// <param name="services">Replacements registered after the app's own services (a benchmark's cheap password hash).</param>
    /// <remarks>
    /// The issuer names the port and is validated before Kestrel binds, so the port cannot be Kestrel's own pick
    /// (port 0). A free port is chosen first instead, and when another process takes it in between, the host is built
    /// again on another one: the race costs a retry, never a failed test.
    /// </remarks>
    public static async Task<IdpServerHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null, MutableTimeProvider? time = null, Action<IServiceCollection>? services = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var baseUrl = new Uri($"http://localhost:{port}/");
            var links = new CapturingSetupLinkAnnouncer();
            var app = Build(port, baseUrl, database, settings, time, services, links);
            try
            {
                await app.StartAsync();
                return new IdpServerHost(app, baseUrl, links);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
                // The services that did start (migrations, the audit writer) stop before the next attempt.
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
    }

    private static WebApplication Build(int port, Uri baseUrl, TestDatabase database, IDictionary<string, string?>? settings, MutableTimeProvider? time, Action<IServiceCollection>? services, CapturingSetupLinkAnnouncer links)
    {
        var configuration = IdpTestHost.DefaultSettings(TestSecrets.Key);
        configuration["Idp:Issuer"] = baseUrl.ToString().TrimEnd('/');
        foreach (var (key, value) in database.Settings().Concat(settings ?? new Dictionary<string, string?>()))
        {
            configuration[key] = value;
        }

        return IdpApplication.Build(["--environment", "Production", "--urls", $"http://127.0.0.1:{port}"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<Idp.Accounts.ISetupLinkAnnouncer>(links);
            if (time is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(time);
            }

            services?.Invoke(builder.Services);
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
