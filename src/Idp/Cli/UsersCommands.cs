using System.CommandLine;
using System.Text.Json;
using Idp.Admin;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Idp.Cli;

/// <summary><c>users add | list | set-password | lock | unlock | delete</c>. Passwords come only from standard input.</summary>
internal static class UsersCommands
{
    /// <summary>Recorded when <c>users lock</c> is given no <c>--reason</c>: the audit row says so rather than inventing one.</summary>
    private const string NoReasonGiven = "none given at the command line";

    public static Command Build(Func<CliContext> context)
    {
        var users = new Command("users", "Manage user accounts.");
        users.Add(Add(context));
        users.Add(List(context));
        users.Add(SetPassword(context));
        users.Add(Lock(context));
        users.Add(Unlock(context));
        users.Add(Delete(context));
        users.Add(UnlockOtp(context));
        return users;
    }

    private static Command Add(Func<CliContext> context)
    {
        var name = new Argument<string>("username") { Description = "Letters, digits and - . _ @ +" };
        var email = new Option<string?>("--email") { Description = "E-mail address" };
        var role = new Option<string[]>("--role") { Description = "Role to grant (admin); repeatable", AllowMultipleArgumentsPerToken = false };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var command = new Command("add", "Create a user.") { name, email, role, passwordStdin };
        command.SetAction((parsed, cancellationToken) => WithUsersAsync(context, cancellationToken, async (cli, _, _) =>
        {
            if (!parsed.GetValue(passwordStdin))
            {
                return cli.Fail("users add needs --password-stdin: the password is read from standard input, never from the command line");
            }

            if (cli.ReadPassword() is not { } password)
            {
                return cli.Fail("no password on standard input");
            }

            var outcome = await cli.Services.GetRequiredService<AccountAdministration>()
                .AddAsync(parsed.GetValue(name)!, parsed.GetValue(email), parsed.GetValue(role) ?? [], password, AdminActor.Cli, cancellationToken);
            return DevicesCommands.Report(cli, outcome);
        }));
        return command;
    }

    private static Command List(Func<CliContext> context)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List users.") { json };
        command.SetAction((parsed, cancellationToken) => WithUsersAsync(context, cancellationToken, async (cli, manager, _) =>
        {
            var db = cli.Services.GetRequiredService<IdpDbContext>();
            var now = cli.Services.GetRequiredService<TimeProvider>().GetUtcNow();
            var catalog = cli.Services.GetRequiredService<UserStores.UserStoreCatalog>();
            var rows = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
            var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
            var listed = rows.Select(u => new UserListing(
                u.UserName ?? "",
                u.Email,
                roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToArray(),
                u.LockoutEnd is { } end && end > now,
                u.CreatedAt,
                u.StoreName ?? catalog.BuiltInStore ?? UserStores.UserStoreOptions.BuiltInStoreName,
                [.. catalog.RealmsOf(u.StoreName)])).ToList();
            if (parsed.GetValue(json))
            {
                cli.Output.WriteLine(JsonSerializer.Serialize(listed, CliJson.Options));
                return CliExitCodes.Succeeded;
            }

            cli.Output.WriteLine($"{"USERNAME",-24} {"E-MAIL",-30} {"ROLES",-12} {"LOCKED",-6} {"CREATED",-10} {"STORE",-12} REALMS");
            foreach (var u in listed)
            {
                cli.Output.WriteLine($"{u.UserName,-24} {u.Email ?? "-",-30} {(u.Roles.Length == 0 ? "-" : string.Join(",", u.Roles)),-12} {(u.Locked ? "yes" : "no"),-6} {u.CreatedAt:yyyy-MM-dd} {u.Store,-12} {(u.Realms.Length == 0 ? "-" : string.Join(",", u.Realms))}");
            }

            return CliExitCodes.Succeeded;
        }));
        return command;
    }

    private static Command SetPassword(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from the first line of standard input" };
        var command = new Command("set-password", "Set a user's password (and end their sessions: Idp:Admin:EndSessionsOnPasswordChange).") { name, passwordStdin };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
        {
            if (!parsed.GetValue(passwordStdin))
            {
                return cli.Fail("users set-password needs --password-stdin: the password is read from standard input, never from the command line");
            }

            if (cli.ReadPassword() is not { } password)
            {
                return cli.Fail("no password on standard input");
            }

            return DevicesCommands.Report(cli, await cli.Services.GetRequiredService<AccountAdministration>().SetPasswordAsync(user, password, AdminActor.Cli, cancellationToken));
        }));
        return command;
    }

    private static Command Lock(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var reason = new Option<string?>("--reason") { Description = "Kept in the audit trail" };
        var command = new Command("lock", "Lock an account until it is unlocked, end its sessions and revoke its grants.") { name, reason };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
            DevicesCommands.Report(cli, await cli.Services.GetRequiredService<UserAdministration>()
                .LockAsync(user, parsed.GetValue(reason) ?? NoReasonGiven, AdminActor.Cli, cancellationToken))));
        return command;
    }

    private static Command Unlock(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var reason = new Option<string?>("--reason") { Description = "Kept in the audit trail" };
        var command = new Command("unlock", "Unlock an account (after lockout or `users lock`).") { name, reason };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
            DevicesCommands.Report(cli, await cli.Services.GetRequiredService<UserAdministration>()
                .UnlockAsync(user, parsed.GetValue(reason), AdminActor.Cli, cancellationToken))));
        return command;
    }

    private static Command UnlockOtp(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var command = new Command("unlock-otp", "Clear a user's second-factor lock and wrong-code count (Otp:MaxFailures).") { name };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
        {
            var outcome = await cli.Services.GetRequiredService<Admin.UserAdministration>().ClearOtpLockAsync(user, null, Admin.AdminActor.Cli, cancellationToken);
            return DevicesCommands.Report(cli, outcome);
        }));
        return command;
    }

    private static Command Delete(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var command = new Command("delete", "Delete a user, with their sessions and devices.") { name };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, _, user) =>
            DevicesCommands.Report(cli, await cli.Services.GetRequiredService<AccountAdministration>().DeleteAsync(user, AdminActor.Cli, cancellationToken))));
        return command;
    }

    private static async Task<int> WithUsersAsync(Func<CliContext> context, CancellationToken cancellationToken, Func<CliContext, UserManager<IdpUser>, CancellationToken, Task<int>> action)
    {
        var cli = context();
        if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
        {
            return cli.Fail(problem);
        }

        return await action(cli, cli.Services.GetRequiredService<UserManager<IdpUser>>(), cancellationToken);
    }

    /// <summary>The user by the lookup /admin and the API use (username, then an address only one account has, then id).</summary>
    internal static Task<int> WithUserAsync(Func<CliContext> context, string userName, CancellationToken cancellationToken, Func<CliContext, UserManager<IdpUser>, IdpUser, Task<int>> action)
        => WithUsersAsync(context, cancellationToken, async (cli, manager, _) =>
        {
            var (user, problem) = await cli.Services.GetRequiredService<UserAdministration>().LookUpAsync(userName);
            return user is not null ? await action(cli, manager, user) : cli.Fail(problem is not null && problem.StartsWith("More than one", StringComparison.Ordinal) ? problem : $"no user '{userName}'");
        });

    /// <param name="Store">The user store the account comes from: a directory's name, or the built-in store's.</param>
    /// <param name="Realms">The realms that ask the user's store: where the user can sign in.</param>
    private sealed record UserListing(string UserName, string? Email, string[] Roles, bool Locked, DateTime CreatedAt, string Store, string[] Realms);
}
