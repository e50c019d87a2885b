using System.CommandLine;
using System.Net.Mail;
using System.Text.Json;
using Idp.Accounts;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Idp.Cli;

/// <summary><c>users add | list | set-password | lock | unlock | delete</c>. Passwords come only from standard input.</summary>
internal static class UsersCommands
{
    public const int UserNameMaxLength = 64;

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
        command.SetAction((parsed, cancellationToken) => WithUsersAsync(context, cancellationToken, async (cli, manager, _) =>
        {
            var userName = parsed.GetValue(name)!.Trim();
            var roles = parsed.GetValue(role) ?? [];
            var address = parsed.GetValue(email)?.Trim();
            if (NameProblem(userName, manager) is { } nameProblem)
            {
                return cli.Fail(nameProblem);
            }

            if (address is not null && (!MailAddress.TryCreate(address, out var parsedAddress) || parsedAddress.Address != address))
            {
                return cli.Fail($"'{address}' is not an e-mail address");
            }

            if (roles.FirstOrDefault(r => !Roles.Known.Contains(r)) is { } unknownRole)
            {
                return cli.Fail($"unknown role '{unknownRole}' (known: {string.Join(", ", Roles.Known)})");
            }

            if (!parsed.GetValue(passwordStdin))
            {
                return cli.Fail("users add needs --password-stdin: the password is read from standard input, never from the command line");
            }

            if (await manager.FindByNameAsync(userName) is not null)
            {
                return cli.Fail($"user '{userName}' already exists");
            }

            if (cli.ReadPassword() is not { } password)
            {
                return cli.Fail("no password on standard input");
            }

            var user = new IdpUser { UserName = userName, Email = address, CreatedAt = cli.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime };
            var db = cli.Services.GetRequiredService<IdpDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var result = await manager.CreateAsync(user, password);
            foreach (var granted in roles.Distinct(StringComparer.Ordinal))
            {
                result = result.Succeeded ? await manager.AddToRoleAsync(user, granted) : result;
            }

            if (!result.Succeeded)
            {
                return cli.Fail(Describe(result));
            }

            await transaction.CommitAsync(cancellationToken);
            cli.Output.WriteLine($"Created user '{userName}'{(roles.Length > 0 ? $" with role {string.Join(", ", roles)}" : "")}.");
            return CliExitCodes.Succeeded;
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
            var rows = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(cancellationToken);
            var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
            var listed = rows.Select(u => new UserListing(
                u.UserName ?? "",
                u.Email,
                roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order().ToArray(),
                u.LockoutEnd is { } end && end > now,
                u.CreatedAt)).ToList();
            if (parsed.GetValue(json))
            {
                cli.Output.WriteLine(JsonSerializer.Serialize(listed, CliJson.Options));
                return CliExitCodes.Succeeded;
            }

            cli.Output.WriteLine($"{"USERNAME",-24} {"E-MAIL",-30} {"ROLES",-12} {"LOCKED",-6} CREATED");
            foreach (var u in listed)
            {
                cli.Output.WriteLine($"{u.UserName,-24} {u.Email ?? "-",-30} {(u.Roles.Length == 0 ? "-" : string.Join(",", u.Roles)),-12} {(u.Locked ? "yes" : "no"),-6} {u.CreatedAt:yyyy-MM-dd}");
            }

            return CliExitCodes.Succeeded;
        }));
        return command;
    }

    private static Command SetPassword(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from the first line of standard input" };
        var command = new Command("set-password", "Set a user's password.") { name, passwordStdin };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, manager, user) =>
        {
            if (!parsed.GetValue(passwordStdin))
            {
                return cli.Fail("users set-password needs --password-stdin: the password is read from standard input, never from the command line");
            }

            if (cli.ReadPassword() is not { } password)
            {
                return cli.Fail("no password on standard input");
            }

            var token = await manager.GeneratePasswordResetTokenAsync(user);
            var result = await manager.ResetPasswordAsync(user, token, password);
            if (!result.Succeeded)
            {
                return cli.Fail(Describe(result));
            }

            cli.Output.WriteLine($"Password of '{user.UserName}' changed.");
            return CliExitCodes.Succeeded;
        }));
        return command;
    }

    private static Command Lock(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var command = new Command("lock", "Lock an account until it is unlocked, and end its sessions.") { name };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, manager, user) =>
        {
            await manager.SetLockoutEnabledAsync(user, true);
            var result = await manager.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue);
            if (!result.Succeeded)
            {
                return cli.Fail(Describe(result));
            }

            var ended = await cli.Services.GetRequiredService<IdpDbContext>().UserSessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            cli.Output.WriteLine($"Locked '{user.UserName}'; ended {ended} session(s).");
            return CliExitCodes.Succeeded;
        }));
        return command;
    }

    private static Command Unlock(Func<CliContext> context)
    {
        var name = new Argument<string>("username");
        var command = new Command("unlock", "Unlock an account (after lockout or `users lock`).") { name };
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, manager, user) =>
        {
            var result = await manager.SetLockoutEndDateAsync(user, null);
            result = result.Succeeded ? await manager.ResetAccessFailedCountAsync(user) : result;
            if (!result.Succeeded)
            {
                return cli.Fail(Describe(result));
            }

            cli.Output.WriteLine($"Unlocked '{user.UserName}'.");
            return CliExitCodes.Succeeded;
        }));
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
        command.SetAction((parsed, cancellationToken) => WithUserAsync(context, parsed.GetValue(name)!, cancellationToken, async (cli, manager, user) =>
        {
            var result = await manager.DeleteAsync(user);
            if (!result.Succeeded)
            {
                return cli.Fail(Describe(result));
            }

            cli.Output.WriteLine($"Deleted '{user.UserName}'.");
            return CliExitCodes.Succeeded;
        }));
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

    internal static Task<int> WithUserAsync(Func<CliContext> context, string userName, CancellationToken cancellationToken, Func<CliContext, UserManager<IdpUser>, IdpUser, Task<int>> action)
        => WithUsersAsync(context, cancellationToken, async (cli, manager, _) =>
            await manager.FindByNameAsync(userName.Trim()) is { } user
                ? await action(cli, manager, user)
                : cli.Fail($"no user '{userName}'"));

    private static string? NameProblem(string userName, UserManager<IdpUser> manager)
    {
        if (userName.Length == 0)
        {
            return "the username is empty";
        }

        if (userName.Length > UserNameMaxLength)
        {
            return $"the username must be at most {UserNameMaxLength} characters";
        }

        return userName.Any(c => !manager.Options.User.AllowedUserNameCharacters.Contains(c))
            ? $"the username '{userName}' may contain only letters, digits and - . _ @ +"
            : null;
    }

    private static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private sealed record UserListing(string UserName, string? Email, string[] Roles, bool Locked, DateTime CreatedAt);
}
