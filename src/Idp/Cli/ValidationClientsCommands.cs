using System.CommandLine;
using Idp.Validation;

namespace Idp.Cli;

/// <summary><c>validation-clients list</c>: the /validate clients this node loaded from its configuration (never their secrets).</summary>
internal static class ValidationClientsCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var clients = new Command("validation-clients", "Clients of the /validate API (configured in Idp:Validation:Clients).");
        var list = new Command("list", "List the validation clients: name, pass policy, networks, whether a secret is required.");
        list.SetAction((_, _) =>
        {
            var cli = context();
            var loaded = cli.Services.GetRequiredService<ValidationClients>().All;
            cli.Output.WriteLine($"{"NAME",-20} {"POLICY",-10} {"SECRET",-7} {"PASSTHRU",-9} NETWORKS");
            foreach (var client in loaded)
            {
                cli.Output.WriteLine($"{client.Name,-20} {client.Policy.ToString().ToLowerInvariant(),-10} {(client.Secret is null ? "no" : "yes"),-7} {(client.Passthru ? "yes" : "no"),-9} {client.Networks}");
            }

            if (loaded.Count == 0)
            {
                cli.Error.WriteLine("No validation clients: the /validate API is off (Idp:Validation:Clients).");
            }

            return Task.FromResult(CliExitCodes.Succeeded);
        });
        clients.Add(list);
        return clients;
    }
}
