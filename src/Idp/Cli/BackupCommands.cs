using System.CommandLine;
using Idp.Audit;
using Idp.Backup;
using Microsoft.EntityFrameworkCore;

namespace Idp.Cli;

/// <summary>
/// <c>backup --out F --key-file K</c> and <c>restore --in F --key-file K</c>. K is the archive's own key (Base64 of 32
/// bytes; <c>-</c> for standard input). The secret key of stored secrets (Idp:Secrets) is not in the archive: as the
/// LinOTP operations guide puts it, keep the database encryption key apart from the backups.
/// </summary>
internal static class BackupCommands
{
    public static Command BuildBackup(Func<CliContext> context)
    {
        var output = new Option<FileInfo>("--out") { Description = "The archive to write (refused if it exists)", Required = true };
        var keyFile = KeyFileOption();
        var command = new Command("backup", "Write a consistent, encrypted archive of everything Idp keeps (users, devices, tokens, sessions, client state, signing and data-protection keys, audit). The secret key (Idp:Secrets) is not included: keep it apart.") { output, keyFile };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            if (ReadKey(cli, parsed.GetValue(keyFile)!) is not { } key)
            {
                return CliExitCodes.Failed;
            }

            var path = parsed.GetValue(output)!.FullName;
            if (File.Exists(path))
            {
                return cli.Fail($"--out {path}: the file exists; choose another name (an archive is never overwritten)");
            }

            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            // Written beside its final name, on disk, then moved there whole: a failed backup leaves no file that looks
            // complete. The partial file is removed only by the run that created it.
            var partial = path + ".partial";
            FileStream file;
            try
            {
                file = CreateOwnerOnly(partial);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return cli.Fail($"--out {path}: cannot create {partial} ({ex.Message}); is another backup writing it?");
            }

            BackupSummary summary;
            try
            {
                await using (file)
                {
                    summary = await cli.Services.GetRequiredService<DatabaseBackup>().WriteAsync(file, key, cancellationToken);
                    file.Flush(flushToDisk: true);
                }

                File.Move(partial, path);
            }
            catch (Exception ex) when (ex is BackupArchiveException or IOException or UnauthorizedAccessException)
            {
                File.Delete(partial);
                return cli.Fail(ex is BackupArchiveException ? ex.Message : $"--out {path}: {ex.Message}");
            }
            catch
            {
                File.Delete(partial);
                throw;
            }

            await cli.Services.GetRequiredService<AuditLog>().WriteAsync(AuditEventTypes.BackupTaken, Admin.AdminActor.Cli.AuditName, details: $"{summary.TotalRows} row(s) at schema {summary.Header.Schema}", cancellationToken: cancellationToken);
            var target = cli.Services.GetRequiredService<Persistence.DatabaseTarget>();
            cli.Output.WriteLine($"Backed up {summary.TotalRows} row(s) of {target.Describe()} (schema {summary.Header.Schema}) to {path}: {summary.Describe()}.");
            cli.Output.WriteLine("The secret key (Idp:Secrets) is not in the archive; a restore needs it too. Keep it, and the archive's key, apart from the archive.");
            return CliExitCodes.Succeeded;
        });
        return command;
    }

    public static Command BuildRestore(Func<CliContext> context)
    {
        var input = new Option<FileInfo>("--in") { Description = "The archive to restore", Required = true };
        var keyFile = KeyFileOption();
        var replace = new Option<bool>("--replace") { Description = "Delete everything the configured database holds first (in the same transaction as the restore); without it, a database that is not empty is refused" };
        var command = new Command("restore", "Restore an archive written by backup into the configured database (SQLite or PostgreSQL, either way), migrating an empty one first. Nothing is written unless the whole archive checks out, including the secret key its stored secrets need.") { input, keyFile, replace };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            var keyPath = parsed.GetValue(keyFile)!;
            if (ReadKey(cli, keyPath) is not { } key)
            {
                return CliExitCodes.Failed;
            }

            var path = parsed.GetValue(input)!.FullName;
            if (!File.Exists(path))
            {
                return cli.Fail($"--in {path}: no such file");
            }

            BackupSummary summary;
            try
            {
                summary = await cli.Services.GetRequiredService<DatabaseRestore>().RestoreAsync(() => File.OpenRead(path), key, BackupKeyFile.Describe(keyPath), parsed.GetValue(replace), cancellationToken);
            }
            catch (BackupArchiveException ex)
            {
                return cli.Fail($"{path}: {ex.Message}");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return cli.Fail($"--in {path}: cannot be read ({ex.Message})");
            }
            catch (DbUpdateException ex)
            {
                return cli.Fail($"{path}: the database refused a row of the archive, so nothing was restored ({ex.InnerException?.Message.Split('\n')[0] ?? ex.Message})");
            }

            await cli.Services.GetRequiredService<AuditLog>().WriteAsync(AuditEventTypes.BackupRestored, Admin.AdminActor.Cli.AuditName, details: $"{summary.TotalRows} row(s) from an archive of {summary.Header.Provider} taken {summary.Header.CreatedAt:u}", cancellationToken: cancellationToken);
            var target = cli.Services.GetRequiredService<Persistence.DatabaseTarget>();
            cli.Output.WriteLine($"Restored {summary.TotalRows} row(s) into {target.Describe()} from an archive of {summary.Header.Provider} taken {summary.Header.CreatedAt:u} (schema {summary.Header.Schema}): {summary.Describe()}.");
            return CliExitCodes.Succeeded;
        });
        return command;
    }

    /// <summary>The archive's key, or null once the reason is on standard error.</summary>
    private static byte[]? ReadKey(CliContext cli, string path)
    {
        var (key, problem, warning) = BackupKeyFile.Read(path, cli.Input);
        if (key is null)
        {
            cli.Fail(problem!);
            return null;
        }

        if (warning is not null)
        {
            cli.Error.WriteLine($"warning: {warning}");
        }

        return key;
    }

    /// <summary>Readable by its owner only, from the moment it exists; never an existing file (nor through a link).</summary>
    private static FileStream CreateOwnerOnly(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return new FileStream(path, options);
    }

    private static Option<string> KeyFileOption() => new("--key-file")
    {
        Description = "The archive's key: a file holding the Base64 of 32 random bytes (head -c 32 /dev/urandom | base64), or - to read it from standard input. Not the secret key of Idp:Secrets",
        Required = true,
    };
}
