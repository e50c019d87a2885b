using System.CommandLine;
using Idp.Hosting;
using Idp.Radius;
using Microsoft.Extensions.Options;

namespace Idp.Cli;

/// <summary><c>radius clients list</c>: the RADIUS clients (NASes) this node loaded from its configuration (never their secrets).</summary>
internal static class RadiusCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var radius = new Command("radius", "The built-in RADIUS server (configured in Idp:Radius).");
        var clients = new Command("clients", "RADIUS clients (NASes).");
        var list = new Command("list", "List the RADIUS clients: name, pass policy, whether Message-Authenticator is required, networks.");
        list.SetAction((_, _) =>
        {
            var cli = context();
            var settings = cli.Services.GetRequiredService<IOptions<IdpOptions>>().Value.Radius;
            cli.Output.WriteLine($"# RADIUS server {(settings.Enabled ? "on" : "off")}, {settings.Address}:{settings.Port}");
            cli.Output.WriteLine($"{"NAME",-20} {"POLICY",-10} {"MSG-AUTH",-9} {"PASSTHRU",-9} NETWORKS");
            foreach (var client in cli.Services.GetRequiredService<RadiusClients>().All)
            {
                cli.Output.WriteLine($"{client.Name,-20} {client.Policy.ToString().ToLowerInvariant(),-10} {(client.RequireMessageAuthenticator ? "required" : "optional"),-9} {(client.Passthru ? "yes" : "no"),-9} {client.Networks}");
            }

            return Task.FromResult(CliExitCodes.Succeeded);
        });
        clients.Add(list);
        radius.Add(clients);
        return radius;
    }
}
