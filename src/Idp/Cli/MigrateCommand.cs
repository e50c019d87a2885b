using System.CommandLine;
using Idp.Persistence;

namespace Idp.Cli;

internal static class MigrateCommand
{
    public static Command Build(Func<CliContext> context)
    {
        var command = new Command("migrate", "Apply pending schema migrations to the configured database (safe to run on several nodes at once).");
        command.SetAction(async (_, cancellationToken) =>
        {
            var cli = context();
            await using var scope = cli.Services.CreateAsyncScope();
            var migrator = scope.ServiceProvider.GetRequiredService<DatabaseMigrator>();
            var target = cli.Services.GetRequiredService<DatabaseTarget>();
            var applied = await migrator.MigrateAsync(cancellationToken);
            cli.Output.WriteLine(applied.Count == 0
                ? $"{target.Describe()} is up to date."
                : $"Applied {applied.Count} migration(s) to {target.Describe()}: {string.Join(", ", applied)}");
            return CliExitCodes.Succeeded;
        });
        return command;
    }
}
