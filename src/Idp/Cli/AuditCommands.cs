using System.CommandLine;
using System.Text.Json;
using Idp.Admin;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Cli;

/// <summary><c>audit tail</c>: the newest audit events, oldest of them first, as a log reads.</summary>
internal static class AuditCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var audit = new Command("audit", "Read the audit trail.");
        audit.Add(Tail(context));
        return audit;
    }

    private static Command Tail(Func<CliContext> context)
    {
        var user = new Option<string?>("--user") { Description = "Only events about this username" };
        var type = new Option<string?>("--type") { Description = "Only events whose type starts with this, e.g. otp. or signin.failure" };
        var count = new Option<int>("--count", "-n") { Description = $"How many (1 to {AuditQuery.MaxPageSize})", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("tail", "Print the newest audit events.") { user, type, count, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            var wanted = parsed.GetValue(count);
            if (wanted is < 1 or > AuditQuery.MaxPageSize)
            {
                return cli.Fail($"--count must be from 1 to {AuditQuery.MaxPageSize} (got {wanted})");
            }

            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            string? userId = null;
            if (parsed.GetValue(user) is { } userName)
            {
                var found = await cli.Services.GetRequiredService<UserManager<IdpUser>>().FindByNameAsync(userName.Trim());
                if (found is null)
                {
                    return cli.Fail($"no user '{userName}'");
                }

                userId = found.Id;
            }

            var events = await cli.Services.GetRequiredService<AuditQuery>().NewestAsync(userId, parsed.GetValue(type), null, wanted, cancellationToken);
            var ordered = events.Reverse().ToList();
            if (parsed.GetValue(json))
            {
                cli.Output.WriteLine(JsonSerializer.Serialize(ordered, CliJson.Options));
                return CliExitCodes.Succeeded;
            }

            foreach (var e in ordered)
            {
                cli.Output.WriteLine($"{e.At:yyyy-MM-dd HH:mm:ss}Z {e.Type,-24} {e.Actor,-40} user={e.SubjectUserId ?? "-"} client={e.ClientId ?? "-"} ip={e.IpAddress ?? "-"} {e.Details}");
            }

            return CliExitCodes.Succeeded;
        });
        return command;
    }
}
