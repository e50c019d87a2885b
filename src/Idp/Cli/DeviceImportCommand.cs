using System.CommandLine;
using Idp.Admin;
using Idp.Audit;

namespace Idp.Cli;

/// <summary><c>devices import</c>: LemonLDAP::NG <c>_2fDevices</c> records for one user, every entry or none.</summary>
internal static class DeviceImportCommand
{
    /// <summary>Import files larger than this are refused unread: a user has at most a few dozen records.</summary>
    public const int MaxImportBytes = 1024 * 1024;

    public static Command Build(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var file = new Option<string>("--file") { Description = "A LemonLDAP::NG _2fDevices JSON array; - for standard input", Required = true };
        var llngKeyFile = new Option<string?>("--llng-key-file") { Description = "File holding LemonLDAP::NG's \"key\", to read {llngcrypt} secrets" };
        var command = new Command("import", "Import LemonLDAP::NG _2fDevices records for a user: all entries or none.") { name, file, llngKeyFile };
        command.SetAction((parsed, cancellationToken) => UsersCommands.WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
        {
            var (json, readError) = await ReadInputAsync(parsed.GetValue(file)!, cli.Input, cancellationToken);
            if (readError is not null)
            {
                return cli.Fail(readError);
            }

            string? llngKey = null;
            if (parsed.GetValue(llngKeyFile) is { } keyFile)
            {
                if (!File.Exists(keyFile))
                {
                    return cli.Fail($"--llng-key-file: no file '{keyFile}'");
                }

                llngKey = (await File.ReadAllTextAsync(keyFile, cancellationToken)).Trim();
            }

            // LemonLDAP::NG records are keys: the kind that takes them reads and checks them, all or none.
            var keys = cli.Services.GetServices<Idp.SecondFactors.ISecondFactorKeys>().First();
            var (imported, problem) = await keys.ImportAsync(user.Id, json!, llngKey, cancellationToken);
            if (problem is not null)
            {
                return cli.Fail($"nothing imported: {problem}");
            }

            await cli.Services.GetRequiredService<AuditLog>().WriteAsync(AuditEventTypes.DeviceImported, AdminActor.Cli.AuditName, user.Id, details: $"{imported} LemonLDAP::NG device record(s) imported", cancellationToken: cancellationToken);
            cli.Output.WriteLine($"Imported {imported} device(s) for '{user.UserName}'.");
            return CliExitCodes.Succeeded;
        }));
        return command;
    }

    private static async Task<(string? Json, string? Error)> ReadInputAsync(string path, TextReader input, CancellationToken cancellationToken)
    {
        if (path == "-")
        {
            var buffer = new char[MaxImportBytes + 1];
            var read = await input.ReadBlockAsync(buffer, cancellationToken);
            return read > MaxImportBytes ? (null, $"standard input is larger than {MaxImportBytes} bytes") : (new string(buffer, 0, read), null);
        }

        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (null, $"--file: no file '{path}'");
        }

        if (info.Length > MaxImportBytes)
        {
            return (null, $"--file: '{path}' is larger than {MaxImportBytes} bytes");
        }

        return (await File.ReadAllTextAsync(path, cancellationToken), null);
    }
}
