using Idp.Accounts;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Idp.Hosting;

/// <summary>
/// Runs before the server listens: checks configuration, loads the secret key, applies migrations (when
/// <c>Database:MigrateOnStartup</c>), makes sure a data-protection key exists, and on an empty database prints
/// the one-time link that creates the first administrator.
/// </summary>
internal sealed class StartupInitializer(IServiceProvider services, IConfiguration configuration, ILogger<StartupInitializer> logger) : IHostedService
{
    private int _started;

    /// <summary>
    /// Runs once: the server calls it before the host starts (<see cref="IdpServer"/>), so a refusal is its one line
    /// rather than the host's "failed to start" log with a stack trace; as a hosted service it then does nothing.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            return;
        }

        var idp = services.GetRequiredService<IOptions<IdpOptions>>().Value;
        _ = services.GetRequiredService<IOptions<OtpOptions>>().Value;
        _ = services.GetRequiredService<SecretKeyRing>();
        var target = services.GetRequiredService<DatabaseTarget>();
        logger.LogInformation("Using {Database}", target.Describe());

        await using var scope = services.CreateAsyncScope();
        var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        if (database.MigrateOnStartup)
        {
            var applied = await migrator.MigrateAsync(cancellationToken);
            if (applied.Count > 0)
            {
                logger.LogInformation("Applied {Count} schema migration(s): {Versions}", applied.Count, string.Join(", ", applied));
            }
        }
        else if (!await SchemaReadyAsync(migrator, cancellationToken))
        {
            // Serve anyway: /readyz reports not ready, so a load balancer keeps traffic away until the schema is there.
            return;
        }

        var signingKeys = services.GetRequiredService<Oidc.Keys.SigningKeyService>();
        // Before anything decrypts or writes a key: a database encrypted under another secret key stops start-up here,
        // in one line, and this node adds no key the others could not read.
        await signingKeys.EnsureReadableAsync(cancellationToken);
        await signingKeys.EnsureKeysAsync(cancellationToken);

        // Creates the first data-protection key now rather than on the first request.
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Idp.Startup").Protect([0]);

        var setup = scope.ServiceProvider.GetRequiredService<SetupTokenService>();
        if (!await setup.AnyUserExistsAsync(cancellationToken))
        {
            var (token, expires) = await setup.IssueAsync(cancellationToken);
            var link = new Uri(new Uri(PublicBase(idp)), $"setup?token={token}");
            services.GetRequiredService<ISetupLinkAnnouncer>().Announce(link, expires);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<bool> SchemaReadyAsync(DatabaseMigrator migrator, CancellationToken cancellationToken)
    {
        try
        {
            if ((await migrator.PendingAsync(cancellationToken)).Count == 0)
            {
                return true;
            }

            logger.LogWarning("The database schema is not up to date and Database:MigrateOnStartup is off: run the migrate verb");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            logger.LogError("The database cannot be reached ({Reason}); /readyz reports not ready until it can", ex.GetType().Name);
        }

        return false;
    }

    private string PublicBase(IdpOptions idp)
    {
        var baseUrl = idp.Issuer ?? configuration["urls"]?.Split(';')[0] ?? "http://localhost:5000";
        return baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
    }
}
