using System.CommandLine;
using Idp.Persistence;

namespace Idp.Cli;

internal static class MigrateCommand
{
    public static Command Build(Func<CliContext> context)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List the pending migrations without applying them (nothing is written; a missing SQLite file is not created)" };
        var command = new Command("migrate", "Apply pending schema migrations to the configured database (safe to run on several nodes at once).") { dryRun };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            await using var scope = cli.Services.CreateAsyncScope();
            var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
            var target = cli.Services.GetRequiredService<DatabaseTarget>();
            if (parsed.GetValue(dryRun))
            {
                var pending = target.Provider == Hosting.DatabaseProvider.Sqlite && !File.Exists(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource)
                    ? migrator.AllVersions
                    : await migrator.PendingAsync(cancellationToken);
                cli.Output.WriteLine(pending.Count == 0
                    ? $"{target.Describe()} is up to date."
                    : $"{pending.Count} migration(s) would be applied to {target.Describe()}: {string.Join(", ", pending)}");
                return CliExitCodes.Succeeded;
            }

            var applied = await migrator.MigrateAsync(cancellationToken);
            cli.Output.WriteLine(applied.Count == 0
                ? $"{target.Describe()} is up to date."
                : $"Applied {applied.Count} migration(s) to {target.Describe()}: {string.Join(", ", applied)}");
            return CliExitCodes.Succeeded;
        });
        return command;
    }
}
