using System.CommandLine;
using Idp.Admin;
using Idp.Otp.Tokens;
using Idp.Tokens;

namespace Idp.Cli;

/// <summary><c>tokens import --file F [--format pskc|oath-csv] [--psk-file K | --password-stdin]</c>: a token file into the pool, all or nothing.</summary>
internal static class TokenImportCommand
{
    public static Command Build(Func<CliContext> context)
    {
        var file = new Option<string>("--file") { Description = "The PSKC (RFC 6030) or OATH CSV file; - for standard input", Required = true };
        var format = new Option<string?>("--format") { Description = "pskc or oath-csv (recognised from the content when left out)" };
        var pskFile = new Option<string?>("--psk-file") { Description = "File holding the PSKC pre-shared key (hex digits or raw bytes), for secrets encrypted under it (RFC 6030 §6.1)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the PSKC password (RFC 6030 §6.2, PBKDF2) from the first line of standard input" };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Skip tokens whose serial is already in the pool instead of refusing the file" };
        var ignoreMac = new Option<bool>("--ignore-mac-mismatch") { Description = "Import even when a ValueMAC does not match (a vendor's known-broken MAC); never needed otherwise" };
        var command = new Command("import", "Import hardware tokens into the pool: every token of the file or none.") { file, format, pskFile, passwordStdin, skipExisting, ignoreMac };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            TokenFileFormat? chosen = null;
            if (parsed.GetValue(format) is { } formatName)
            {
                if (!TokenFiles.TryParseFormat(formatName, out var known))
                {
                    return cli.Fail($"--format: '{formatName}' is not pskc or oath-csv");
                }

                chosen = known;
            }

            if (parsed.GetValue(pskFile) is not null && parsed.GetValue(passwordStdin))
            {
                return cli.Fail("give --psk-file or --password-stdin, not both");
            }

            if (parsed.GetValue(file) == "-" && parsed.GetValue(passwordStdin))
            {
                return cli.Fail("--password-stdin needs the file from --file, not standard input");
            }

            byte[]? key = null;
            if (parsed.GetValue(pskFile) is { } keyPath)
            {
                var (read, problem) = PreSharedKeyFile.Read("--psk-file", keyPath);
                if (read is null)
                {
                    return cli.Fail(problem!);
                }

                key = read;
            }

            string? password = null;
            if (parsed.GetValue(passwordStdin) && (password = cli.ReadPassword()) is null)
            {
                return cli.Fail("--password-stdin: standard input gave no password");
            }

            IReadOnlyList<TokenSeed> seeds;
            var path = parsed.GetValue(file)!;
            try
            {
                if (path != "-" && !File.Exists(path))
                {
                    return cli.Fail($"--file: no file '{path}'");
                }

                byte[] content;
                if (path == "-")
                {
                    var buffer = new char[TokenFileLimits.MaxBytes + 1];
                    var read = await cli.Input.ReadBlockAsync(buffer, cancellationToken);
                    content = read > TokenFileLimits.MaxBytes
                        ? throw new TokenFileException("file", $"larger than {TokenFileLimits.MaxBytes / (1024 * 1024)} MB: split it")
                        : System.Text.Encoding.UTF8.GetBytes(buffer, 0, read);
                }
                else
                {
                    await using var input = File.OpenRead(path);
                    content = await TokenFiles.ReadBoundedAsync(input, cancellationToken);
                }

                seeds = TokenFiles.Read(content, chosen, new PskcDecryption(key, password) { IgnoreMacMismatch = parsed.GetValue(ignoreMac) });
            }
            catch (TokenFileException e)
            {
                return cli.Fail($"nothing imported: {e.Message}");
            }

            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } notReady)
            {
                return cli.Fail(notReady);
            }

            var result = await cli.Services.GetRequiredService<TokenImporter>().ImportAsync(seeds, parsed.GetValue(skipExisting), $"'{Path.GetFileName(path)}'", AdminActor.Cli, cancellationToken);
            if (result.Problem is not null)
            {
                return cli.Fail($"nothing imported: {result.Problem}");
            }

            cli.Output.WriteLine($"Imported {result.Imported} token(s), assigned {result.Assigned}, skipped {result.Skipped} already in the pool.");
            return CliExitCodes.Succeeded;
        });
        return command;
    }
}
