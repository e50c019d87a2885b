using Idp.Hosting;
using Idp.Persistence;

namespace Idp.Cli;

internal static class CliDatabase
{
    /// <summary>
    /// Brings the schema up to date when <c>Database:MigrateOnStartup</c> is on, as the server would; otherwise
    /// refuses to touch an outdated schema. Returns an error message, or null when the database is ready.
    /// </summary>
    public static async Task<string?> EnsureReadyAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
        await using var scope = services.CreateAsyncScope();
        var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
        if (options.MigrateOnStartup)
        {
            await migrator.MigrateAsync(cancellationToken);
            return null;
        }

        var pending = await migrator.PendingAsync(cancellationToken);
        return pending.Count == 0 ? null : $"the database schema is {pending.Count} migration(s) behind; run the migrate verb first";
    }
}
