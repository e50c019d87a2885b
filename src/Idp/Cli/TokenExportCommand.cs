using System.CommandLine;
using Idp.Admin;
using Idp.Otp.Tokens;
using Idp.Tokens;

namespace Idp.Cli;

/// <summary><c>tokens export [--serial S] [--user U] --format pskc [--psk-file K] [--out F]</c>: tokens as PSKC, secrets only encrypted and only when asked.</summary>
internal static class TokenExportCommand
{
    public static Command Build(Func<CliContext> context)
    {
        var serial = new Option<string?>("--serial") { Description = "Only this token" };
        var user = new Option<string?>("--user") { Description = "Only this user's tokens" };
        var format = new Option<string>("--format") { Description = "pskc (the only export format)", DefaultValueFactory = _ => "pskc" };
        var pskFile = new Option<string?>("--psk-file") { Description = "Include the secrets, encrypted under this 16-byte pre-shared key (32 hex digits or raw bytes; RFC 6030 §6.1). Without it no secret is written" };
        var output = new Option<string?>("--out") { Description = "Write to this file (created, never overwritten) instead of standard output" };
        var command = new Command("export", "Export tokens as a PSKC file that imports back to the same tokens; audited.") { serial, user, format, pskFile, output };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            if (!string.Equals(parsed.GetValue(format)?.Trim(), "pskc", StringComparison.OrdinalIgnoreCase))
            {
                return cli.Fail($"--format: '{parsed.GetValue(format)}' is not pskc");
            }

            byte[]? key = null;
            if (parsed.GetValue(pskFile) is { } keyPath)
            {
                var (read, problem) = PreSharedKeyFile.Read("--psk-file", keyPath);
                if (read is null || read.Length != PskcWriter.PreSharedKeyLength)
                {
                    return cli.Fail(problem ?? $"--psk-file: an export key must be {PskcWriter.PreSharedKeyLength} bytes (AES-128, what every PSKC reader takes)");
                }

                key = read;
            }

            if (parsed.GetValue(output) is { } outPath && File.Exists(outPath))
            {
                return cli.Fail($"--out: '{outPath}' exists; nothing was written");
            }

            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } notReady)
            {
                return cli.Fail(notReady);
            }

            string? userId = null;
            if (parsed.GetValue(user) is { } userName)
            {
                var (found, problem) = await cli.Services.GetRequiredService<UserAdministration>().LookUpAsync(userName);
                if (found is null)
                {
                    return cli.Fail(problem ?? $"no user '{userName}'");
                }

                userId = found.Id;
            }

            using var buffer = new MemoryStream();
            var (count, exportProblem) = await cli.Services.GetRequiredService<TokenExporter>().ExportAsync(buffer, parsed.GetValue(serial)?.Trim(), userId, key, AdminActor.Cli, cancellationToken);
            if (exportProblem is not null)
            {
                return cli.Fail($"nothing exported: {exportProblem}");
            }

            if (parsed.GetValue(output) is { } path)
            {
                await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                buffer.Position = 0;
                await buffer.CopyToAsync(file, cancellationToken);
                cli.Error.WriteLine($"Exported {count} token(s) to {path}.");
            }
            else
            {
                cli.Output.Write(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
                cli.Output.WriteLine();
            }

            return CliExitCodes.Succeeded;
        });
        return command;
    }
}
