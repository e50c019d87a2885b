using System.CommandLine;
using System.Text.Json;
using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Microsoft.Extensions.Options;

namespace Idp.Cli;

/// <summary><c>devices list | import</c>: a user's second-factor devices, never showing a secret.</summary>
internal static class DevicesCommands
{
    /// <summary>Import files larger than this are refused unread: a user has at most a few dozen records.</summary>
    public const int MaxImportBytes = 1024 * 1024;

    public static Command Build(Func<CliContext> context)
    {
        var devices = new Command("devices", "Manage users' second-factor devices.");
        devices.Add(List(context));
        devices.Add(Import(context));
        return devices;
    }

    private static Command List(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List a user's devices (never their secrets).") { name, json };
        command.SetAction((parsed, cancellationToken) => UsersCommands.WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
        {
            var stored = await cli.Services.GetRequiredService<IOtpDeviceStore>().LoadAsync(user.Id, cancellationToken);
            var ttl = cli.Services.GetRequiredService<IOptions<OtpOptions>>().Value.Ttl;
            var listed = stored.Document.Devices.Select(d => new DeviceListing(
                d.Id,
                d.Name,
                d.Type.ToString().ToUpperInvariant(),
                d.RegisteredAt,
                d.LastUsed is { } used ? DateTimeOffset.FromUnixTimeSeconds(used) : null,
                d.ExpiresAt(ttl))).ToList();
            if (parsed.GetValue(json))
            {
                cli.Output.WriteLine(JsonSerializer.Serialize(listed, CliJson.Options));
                return CliExitCodes.Succeeded;
            }

            if (listed.Count == 0)
            {
                cli.Output.WriteLine($"'{user.UserName}' has no second-factor device.");
                return CliExitCodes.Succeeded;
            }

            cli.Output.WriteLine($"{"ID",-34} {"NAME",-20} {"TYPE",-5} {"REGISTERED",-16} {"LAST USED",-16} EXPIRES");
            foreach (var d in listed)
            {
                cli.Output.WriteLine($"{d.Id,-34} {d.Name,-20} {d.Type,-5} {d.Registered:yyyy-MM-dd HH:mm} {(d.LastUsed is { } u ? u.ToString("yyyy-MM-dd HH:mm") : "never"),-16} {(d.Expires is { } e ? e.ToString("yyyy-MM-dd HH:mm") : "never")}");
            }

            return CliExitCodes.Succeeded;
        }));
        return command;
    }

    private static Command Import(Func<CliContext> context)
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

    private sealed record DeviceListing(string Id, string Name, string Type, DateTimeOffset Registered, DateTimeOffset? LastUsed, DateTimeOffset? Expires);
}
