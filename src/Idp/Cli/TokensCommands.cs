using System.CommandLine;
using System.Text.Json;
using Idp.Admin;
using Idp.Otp.Tokens;
using Idp.Tokens;

namespace Idp.Cli;

/// <summary>
/// <c>tokens import | list | assign | unassign | enable | disable | delete | resync | reset-failures | export | enroll</c>:
/// the hardware token pool (PSKC, OATH CSV), as /admin/tokens and /api/admin/tokens manage it.
/// </summary>
internal static class TokensCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var tokens = new Command("tokens", "Manage the hardware token pool: import PSKC or OATH CSV files, assign tokens to users, disable, resynchronise, export.");
        tokens.Add(TokenImportCommand.Build(context));
        tokens.Add(List(context));
        tokens.Add(Assign(context));
        tokens.Add(Simple(context, "unassign", "Take a token back from its holder into the pool.", (pool, serial, reason, ct) => pool.UnassignAsync(serial, reason, AdminActor.Cli, ct)));
        tokens.Add(Simple(context, "enable", "Enable a disabled token.", (pool, serial, reason, ct) => pool.SetDisabledAsync(serial, false, reason, AdminActor.Cli, ct)));
        tokens.Add(Simple(context, "disable", "Disable a token: it stays listed and assigned, and no code of it is accepted.", (pool, serial, reason, ct) => pool.SetDisabledAsync(serial, true, reason, AdminActor.Cli, ct)));
        tokens.Add(Simple(context, "delete", "Delete a token from the pool (and from its holder's devices), with a reason.", (pool, serial, reason, ct) => pool.DeleteAsync(serial, reason, AdminActor.Cli, ct), reasonRequired: true));
        tokens.Add(Simple(context, "reset-failures", "Clear the wrong-code count and second-factor lock of a token's holder.", (pool, serial, reason, ct) => pool.ResetFailuresAsync(serial, reason, AdminActor.Cli, ct)));
        tokens.Add(Resync(context));
        tokens.Add(TokenExportCommand.Build(context));
        tokens.Add(TokenEnrollCommand.Build(context));
        return tokens;
    }

    private static Command List(Func<CliContext> context)
    {
        var unassigned = new Option<bool>("--unassigned") { Description = "Only tokens waiting in the pool" };
        var assigned = new Option<bool>("--assigned") { Description = "Only assigned tokens" };
        var disabled = new Option<bool>("--disabled") { Description = "Only disabled tokens" };
        var search = new Option<string?>("--search") { Description = "Part of a serial or of a holder's username" };
        var page = new Option<int>("--page") { Description = "Which page of 100 (from 1)", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List the pool's tokens (never their secrets).") { unassigned, assigned, disabled, search, page, json };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            var filters = new[] { (parsed.GetValue(unassigned), TokenStateFilter.Unassigned), (parsed.GetValue(assigned), TokenStateFilter.Assigned), (parsed.GetValue(disabled), TokenStateFilter.Disabled) }
                .Where(f => f.Item1).Select(f => f.Item2).ToList();
            if (filters.Count > 1)
            {
                return cli.Fail("give at most one of --unassigned, --assigned, --disabled");
            }

            if (parsed.GetValue(page) < 1)
            {
                return cli.Fail("--page: give a page number from 1");
            }

            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            const int size = 100;
            var listed = await cli.Services.GetRequiredService<TokenCatalog>().ListAsync(parsed.GetValue(search), filters.Count == 0 ? TokenStateFilter.All : filters[0], (parsed.GetValue(page) - 1) * size, size, cancellationToken);
            if (parsed.GetValue(json))
            {
                cli.Output.WriteLine(JsonSerializer.Serialize(listed, CliJson.Options));
                return CliExitCodes.Succeeded;
            }

            cli.Output.WriteLine($"{"SERIAL",-24} {"TYPE",-5} {"ALG",-6} {"DIGITS",-6} {"STATE",-19} USER");
            foreach (var t in listed.Tokens)
            {
                cli.Output.WriteLine($"{t.Serial,-24} {t.Type,-5} {t.Algorithm,-6} {t.Digits,-6} {t.State,-19} {t.UserName ?? "-"}");
            }

            cli.Output.WriteLine($"{listed.Tokens.Count} of {listed.Total} token(s).");
            return CliExitCodes.Succeeded;
        });
        return command;
    }

    private static Command Assign(Func<CliContext> context)
    {
        var serial = new Argument<string>("serial");
        var name = new Argument<string>("username");
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit trail)" };
        var command = new Command("assign", "Give a token of the pool to a user: their codes from it sign in.") { serial, name, reason };
        command.SetAction((parsed, cancellationToken) => UsersCommands.WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
            DevicesCommands.Report(cli, await cli.Services.GetRequiredService<TokenPool>().AssignAsync(parsed.GetValue(serial)!, user, parsed.GetValue(reason), AdminActor.Cli, cancellationToken))));
        return command;
    }

    private static Command Resync(Func<CliContext> context)
    {
        var serial = new Argument<string>("serial");
        var first = new Argument<string>("code1") { Description = "A code the token shows" };
        var second = new Argument<string>("code2") { Description = "The next code it shows" };
        var command = new Command("resync", $"Resynchronise a token from two consecutive codes (HOTP: its counter, up to {TokenResync.Window} ahead; TOTP: its clock drift, up to {TokenResync.Window} steps either way).") { serial, first, second };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            return DevicesCommands.Report(cli, await cli.Services.GetRequiredService<TokenPool>().ResyncAsync(parsed.GetValue(serial)!, parsed.GetValue(first), parsed.GetValue(second), AdminActor.Cli, cancellationToken));
        });
        return command;
    }

    private static Command Simple(Func<CliContext> context, string name, string description, Func<TokenPool, string, string?, CancellationToken, Task<AdminOutcome>> action, bool reasonRequired = false)
    {
        var serial = new Argument<string>("serial");
        var reason = new Option<string?>("--reason") { Description = "Why (kept in the audit trail)", Required = reasonRequired };
        var command = new Command(name, description) { serial, reason };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var cli = context();
            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            return DevicesCommands.Report(cli, await action(cli.Services.GetRequiredService<TokenPool>(), parsed.GetValue(serial)!, parsed.GetValue(reason), cancellationToken));
        });
        return command;
    }
}
