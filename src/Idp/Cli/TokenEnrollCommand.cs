using System.CommandLine;
using Idp.Admin;
using Idp.Tokens;

namespace Idp.Cli;

/// <summary><c>tokens enroll --users-file F --type totp</c>: each listed user registers an authenticator at their next sign-in.</summary>
internal static class TokenEnrollCommand
{
    public static Command Build(Func<CliContext> context)
    {
        var usersFile = new Option<string>("--users-file") { Description = "One username (or e-mail address) a line; blank lines and # comments are skipped", Required = true };
        var type = new Option<string>("--type") { Description = "totp: an authenticator app, enrolled by QR code", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit trail)" };
        var command = new Command("enroll", "Mass enrollment of soft tokens: each listed user must register an authenticator app (forced QR enrollment) at their next sign-in. No secret is made or printed here.") { usersFile, type, reason };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            if (!string.Equals(parsed.GetValue(type)?.Trim(), "totp", StringComparison.OrdinalIgnoreCase))
            {
                return cli.Fail($"--type: '{parsed.GetValue(type)}' cannot be enrolled by users; totp (an authenticator app) can, and hardware tokens are imported and assigned (tokens import, tokens assign)");
            }

            var path = parsed.GetValue(usersFile)!;
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return cli.Fail($"--users-file: no file '{path}'");
            }

            if (info.Length > 1024 * 1024)
            {
                return cli.Fail($"--users-file: '{path}' is larger than 1 MB: split it");
            }

            var logins = (await File.ReadAllLinesAsync(path, cancellationToken))
                .Select((line, index) => (Line: index + 1, Login: line.Trim()))
                .Where(l => l.Login.Length > 0 && !l.Login.StartsWith('#'))
                .ToList();
            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } notReady)
            {
                return cli.Fail(notReady);
            }

            var (requested, withoutDevice, problem) = await cli.Services.GetRequiredService<EnrollmentRequests>().RequestAsync(logins, parsed.GetValue(reason), AdminActor.Cli, cancellationToken);
            if (problem is not null)
            {
                return cli.Fail(problem);
            }

            cli.Output.WriteLine($"{requested} user(s) must now have a second factor; {withoutDevice} of them will register an authenticator at their next sign-in.");
            return CliExitCodes.Succeeded;
        });
        return command;
    }
}
