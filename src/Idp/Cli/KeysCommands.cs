using System.CommandLine;
using Idp.Oidc.Keys;
using Idp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Idp.Cli;

/// <summary><c>keys list | rotate</c>: the token-signing keys (never their private halves).</summary>
internal static class KeysCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var keys = new Command("keys", "Token-signing keys.");
        var list = new Command("list", "List signing keys: id, algorithm, when each signs from.");
        list.SetAction(async (_, cancellationToken) =>
        {
            var cli = context();
            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            var rows = await cli.Services.GetRequiredService<IdpDbContext>().SigningKeys.AsNoTracking().OrderBy(k => k.ActivatesAt).ToListAsync(cancellationToken);
            cli.Output.WriteLine($"{"KID",-18} {"ALG",-6} {"CREATED",-17} SIGNS FROM");
            foreach (var row in rows)
            {
                cli.Output.WriteLine($"{row.Id,-18} {row.Algorithm,-6} {row.CreatedAt:yyyy-MM-dd HH:mm} {row.ActivatesAt:yyyy-MM-dd HH:mm}");
            }

            return CliExitCodes.Succeeded;
        });
        var rotate = new Command("rotate", "Make a new signing key per algorithm in use that signs from now on; older keys stay in JWKS until their tokens expire.");
        rotate.SetAction(async (_, cancellationToken) =>
        {
            var cli = context();
            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            var created = await cli.Services.GetRequiredService<SigningKeyService>().RotateNowAsync(cancellationToken);
            cli.Output.WriteLine($"New signing key(s): {string.Join(", ", created)}. Nodes pick them up within a minute.");
            return CliExitCodes.Succeeded;
        });
        keys.Add(list);
        keys.Add(rotate);
        return keys;
    }
}
