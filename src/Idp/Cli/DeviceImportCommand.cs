using System.CommandLine;
using Idp.Admin;
using Idp.Oidc.Audit;
using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Microsoft.Extensions.Options;

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

            LemonLdapCipher? cipher = null;
            if (parsed.GetValue(llngKeyFile) is { } keyFile)
            {
                if (!File.Exists(keyFile))
                {
                    return cli.Fail($"--llng-key-file: no file '{keyFile}'");
                }

                cipher = new LemonLdapCipher((await File.ReadAllTextAsync(keyFile, cancellationToken)).Trim());
            }

            var store = cli.Services.GetRequiredService<IOtpDeviceStore>();
            var importer = new DeviceImporter(cli.Services.GetRequiredService<SecretProtector>(), cli.Services.GetRequiredService<IOptions<OtpOptions>>().Value);
            var stored = await store.LoadAsync(user.Id, cancellationToken);
            var result = importer.Import(json!, stored.Document, cipher);
            if (!result.Succeeded)
            {
                return cli.Fail($"nothing imported: {string.Join("; ", result.Errors)}");
            }

            if (!await store.TryReplaceAsync(user.Id, result.Document!, stored.Version, cancellationToken))
            {
                return cli.Fail("nothing imported: the user's devices changed meanwhile; run the command again");
            }

            await cli.Services.GetRequiredService<AuditLog>().WriteAsync(AuditEventTypes.DeviceImported, AdminActor.Cli.AuditName, user.Id, details: $"{result.ImportedCount} LemonLDAP::NG device record(s) imported", cancellationToken: cancellationToken);
            cli.Output.WriteLine($"Imported {result.ImportedCount} device(s) for '{user.UserName}'.");
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
