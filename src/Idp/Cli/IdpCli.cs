using System.CommandLine;
using System.Data.Common;
using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Cli;

/// <summary>
/// The admin command line on the server's binary and configuration: <c>Idp users add alice --password-stdin</c>.
/// Success exits 0; a refused request exits 1 with one line on standard error; a malformed command line exits 2.
/// </summary>
internal static class IdpCli
{
    private static readonly HashSet<string> Verbs = new(StringComparer.Ordinal) { "users", "devices", "audit", "migrate", "secrets", "keys", "validation-clients", "radius", "stores", "tokens", "backup", "restore", "--help", "-h", "-?", "help", "--version" };

    /// <summary>Anything but host options (<c>--urls x</c>, <c>/urls x</c>, <c>urls=x</c>) is meant for the command line.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && (Verbs.Contains(args[0]) || !IsHostOption(args[0]));

    private static bool IsHostOption(string arg) => arg.StartsWith('-') || arg.StartsWith('/') || arg.Contains('=', StringComparison.Ordinal);

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.In, Console.Out, Console.Error);

    /// <param name="customize">Lets tests point the services at their own database.</param>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, Action<WebApplicationBuilder>? customize = null)
    {
        WebApplication? app = null;
        AsyncServiceScope? scope = null;
        CliContext Context()
        {
            app ??= IdpApplication.Build([], builder =>
            {
                // Only warnings and errors, on standard error: standard output is the command's result.
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Logging:LogLevel:Default"] = "Warning",
                    ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
                    // A refused command is one line (below); EF's own error log would add its stack trace.
                    ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Critical",
                });
                builder.Logging.ClearProviders();
                builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
                customize?.Invoke(builder);
            });
            scope ??= app.Services.CreateAsyncScope();
            return new CliContext(scope.Value.ServiceProvider, input, output, error);
        }

        var root = new RootCommand("Idp administration: users, second-factor devices, schema and secrets. Uses the server's configuration (appsettings, environment).")
        {
            UsersCommands.Build(Context),
            DevicesCommands.Build(Context),
            AuditCommands.Build(Context),
            MigrateCommand.Build(Context),
            SecretsCommands.Build(Context),
            KeysCommands.Build(Context),
            ValidationClientsCommands.Build(Context),
            RadiusCommands.Build(Context),
            StoresCommands.Build(Context),
            TokensCommands.Build(Context),
            BackupCommands.BuildBackup(Context),
            BackupCommands.BuildRestore(Context),
        };

        if (args.Length > 0 && !Verbs.Contains(args[0]))
        {
            error.WriteLine($"error: unknown verb '{args[0]}'; the verbs are: {string.Join(", ", root.Subcommands.Select(c => c.Name))} (see --help)");
            return CliExitCodes.Usage;
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            error.WriteLine($"error: {parsed.Errors[0].Message} (see --help)");
            return CliExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (ex is IdpConfigurationException or OptionsValidationException)
        {
            error.WriteLine($"error: configuration: {ex.Message}");
            return CliExitCodes.Failed;
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException ex) when (ex.InnerException is DbException inner)
        {
            error.WriteLine($"error: the database refused the request ({inner.GetType().Name}: {FirstLine(inner.Message)})");
            return CliExitCodes.Failed;
        }
        catch (DbException ex)
        {
            error.WriteLine($"error: the database refused the request ({ex.GetType().Name}: {FirstLine(ex.Message)})");
            return CliExitCodes.Failed;
        }
        finally
        {
            if (scope is not null)
            {
                await scope.Value.DisposeAsync();
            }

            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
