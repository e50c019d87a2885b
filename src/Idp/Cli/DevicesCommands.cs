using System.CommandLine;
using System.Text.Json;
using Idp.Admin;
using Idp.Audit;

namespace Idp.Cli;

/// <summary><c>devices list | remove | import | export</c>: a user's second-factor devices; secrets only on explicit request.</summary>
internal static class DevicesCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var devices = new Command("devices", "Manage users' second-factor devices.");
        devices.Add(List(context));
        devices.Add(Remove(context));
        devices.Add(DeviceImportCommand.Build(context));
        devices.Add(Export(context));
        return devices;
    }

    private static Command List(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List a user's devices (never their secrets).") { name, json };
        command.SetAction((parsed, cancellationToken) => UsersCommands.WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
        {
            var listed = await cli.Services.GetRequiredService<UserAdministration>().DevicesAsync(user, cancellationToken);
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

    private static Command Remove(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var device = new Argument<string?>("device") { Description = "The device's id or name", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Remove every device of the user" };
        var reason = new Option<string>("--reason") { Description = "Why (kept in the audit trail)", Required = true };
        var command = new Command("remove", "Remove one device (by id or name) or --all, with a reason; ends the user's sessions (Idp:Admin:EndSessionsOnDeviceRemoval).") { name, device, all, reason };
        command.SetAction((parsed, cancellationToken) =>
        {
            var target = parsed.GetValue(device);
            var everything = parsed.GetValue(all);
            if (everything == (target is not null))
            {
                return Task.FromResult(context().Fail("name one device, or give --all (not both)"));
            }

            return UsersCommands.WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
            {
                var admin = cli.Services.GetRequiredService<UserAdministration>();
                var outcome = everything
                    ? await admin.RemoveAllDevicesAsync(user, parsed.GetValue(reason), AdminActor.Cli, cancellationToken)
                    : await admin.RemoveDeviceAsync(user, target, parsed.GetValue(reason), AdminActor.Cli, cancellationToken);
                return Report(cli, outcome);
            });
        });
        return command;
    }

    private static Command Export(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var secrets = new Option<bool>("--include-secrets") { Description = "Include each key, decrypted to Base32 (needs the Idp:Secrets key that encrypted it)" };
        var command = new Command("export", "Print a user's devices as a LemonLDAP::NG _2fDevices JSON array; keys left out unless --include-secrets.") { name, secrets };
        command.SetAction((parsed, cancellationToken) => UsersCommands.WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
        {
            var includeSecrets = parsed.GetValue(secrets);
            var (json, error) = await cli.Services.GetRequiredService<UserAdministration>().ExportAsync(user, includeSecrets, cancellationToken);
            if (error is not null)
            {
                return cli.Fail($"nothing exported: {error}");
            }

            if (includeSecrets)
            {
                await cli.Services.GetRequiredService<AuditLog>().WriteAsync(AuditEventTypes.DevicesExported, AdminActor.Cli.AuditName, user.Id, details: "devices exported with their keys", cancellationToken: cancellationToken);
            }

            cli.Output.WriteLine(json);
            return CliExitCodes.Succeeded;
        }));
        return command;
    }

    internal static int Report(CliContext cli, AdminOutcome outcome)
    {
        if (!outcome.Succeeded)
        {
            return cli.Fail(outcome.Message);
        }

        cli.Output.WriteLine(outcome.Message);
        return CliExitCodes.Succeeded;
    }
}
