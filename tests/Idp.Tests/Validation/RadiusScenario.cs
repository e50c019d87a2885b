using System.Net;
using System.Net.Sockets;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Validation;

/// <summary>
/// A node with its RADIUS server on a free UDP port of 127.0.0.1, for the real clients (<c>radclient</c>,
/// <c>pamtester</c> with <c>pam_radius_auth</c>): "vpn" (userstore) and "portal" (challenge) both send from
/// 127.0.0.1, so each test uses one of them; alice has a TOTP device of the test seed.
/// </summary>
internal sealed class RadiusScenario : IAsyncDisposable
{
    public const string Secret = "shared-secret-for-the-vpn";

    private RadiusScenario(Scenario scenario, int port)
    {
        Scenario = scenario;
        Port = port;
    }

    public Scenario Scenario { get; }

    public IdpTestHost Host => Scenario.Host;

    public int Port { get; }

    public static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }

    public static Dictionary<string, string?> Settings(int port, string policy, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Idp:Radius:Enabled"] = "true",
            ["Idp:Radius:Address"] = "127.0.0.1",
            ["Idp:Radius:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Idp:Radius:Clients:0:Name"] = "vpn",
            ["Idp:Radius:Clients:0:Networks:0"] = "127.0.0.0/8",
            ["Idp:Radius:Clients:0:Secret"] = Secret,
            ["Idp:Radius:Clients:0:PassPolicy"] = policy,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<RadiusScenario> StartAsync(DatabaseKind kind, string policy = "userstore", IDictionary<string, string?>? more = null)
    {
        var port = FreeUdpPort();
        var scenario = new RadiusScenario(await Scenario.StartAsync(kind, Settings(port, policy, more)), port);
        await scenario.Scenario.CreateUserAsync("alice", TestUsers.Password);
        await SecondFactorScenario.GiveDeviceAsync(scenario.Host, "alice");
        return scenario;
    }

    public string Code(int stepOffset = 0) => SecondFactorScenario.CodeAt(Host, stepOffset: stepOffset);

    public Task<RadClient.Reply> SendAsync(string user, string password, string? state = null, string secret = Secret, bool messageAuthenticator = true)
        => RadClient.SendAsync(Port, secret, user, password, state, messageAuthenticator);

    public ValueTask DisposeAsync() => Scenario.DisposeAsync();
}
