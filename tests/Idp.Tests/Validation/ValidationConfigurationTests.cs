using Idp.Tests.Cli;
using Microsoft.Extensions.Options;

namespace Idp.Tests.Validation;

/// <summary>Idp:Validation and Idp:Radius are checked at start-up, each refusal naming its key; the CLI shows what a node loaded, never a secret.</summary>
public sealed class ValidationConfigurationTests
{
    public static TheoryData<string, string, string> Refused => new()
    {
        { "Idp:Validation:Clients:0:PassPolicy", "magic", "Idp:Validation:Clients:0:PassPolicy must be userstore, none or challenge" },
        { "Idp:Validation:Clients:0:Networks:0", "10.1.0.0/99", "Idp:Validation:Clients:0:Networks:0 is not an IP address or CIDR network" },
        { "Idp:Validation:Clients:0:Secret", "short", "Idp:Validation:Clients:0:Secret must be at least 16 characters" },
        { "Idp:Radius:Clients:0:Secret", "fifteen-chars!!", "Idp:Radius:Clients:0:Secret must be at least 16 characters" },
        { "Idp:Radius:Clients:0:Networks:0", "vpn.example.com", "Idp:Radius:Clients:0:Networks:0 is not an IP address or CIDR network" },
        { "Idp:Radius:Port", "70000", "Idp:Radius:Port must be from 1 to 65535" },
        { "Idp:Validation:Clients:3:PassthruAssign", "true", "Idp:Validation:Clients:3:PassthruAssign needs PassPolicy userstore (the password, then the code) and cannot be combined with Idp:Validation:Clients:3:Passthru." },
        { "Idp:Validation:Clients:1:PassthruAssign", "true", "Idp:Validation:Clients:1:PassthruAssign needs PassPolicy userstore" },
        { "Idp:Validation:PassthruAssignCandidates", "0", "Idp:Validation:PassthruAssignCandidates must be from 1 to 100 (got 0)." },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ABadValue_StopsStartUp_NamingTheKey(string key, string value, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = ValidationScenario.Settings();
        foreach (var (k, v) in RadiusScenario.Settings(RadiusScenario.FreeUdpPort(), "userstore"))
        {
            settings[k] = v;
        }

        settings[key] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IdpTestHost.StartAsync(database, settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARadiusPortAlreadyTaken_StopsStartUp_NamingTheKeys()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        using var squatter = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)squatter.Client.LocalEndPoint!).Port;

        var error = await Assert.ThrowsAsync<Idp.Hosting.IdpConfigurationException>(() => IdpTestHost.StartAsync(database, RadiusScenario.Settings(port, "userstore")));

        Assert.StartsWith($"Idp:Radius:Address and Idp:Radius:Port (127.0.0.1:{port}) cannot be listened on", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCli_ListsTheClients_WithoutTheirSecrets()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = ValidationScenario.Settings();
        foreach (var (k, v) in RadiusScenario.Settings(1812, "challenge"))
        {
            settings[k] = v;
        }

        var cli = new CliRunner(database, extra: settings);

        var validation = await cli.RunAsync("validation-clients", "list");
        var radius = await cli.RunAsync("radius", "clients", "list");

        Assert.Equal(0, validation.ExitCode);
        Assert.Matches(@"pam\s+none\s+yes\s+no\s+10\.3\.0\.0/16", validation.Output);
        Assert.Matches(@"portal\s+challenge\s+no", validation.Output);
        Assert.DoesNotContain(ValidationScenario.PamSecret, validation.Output + validation.Error, StringComparison.Ordinal);
        Assert.Equal(0, radius.ExitCode);
        Assert.Matches(@"vpn\s+challenge\s+required\s+no\s+127\.0\.0\.0/8", radius.Output);
        Assert.DoesNotContain(RadiusScenario.Secret, radius.Output + radius.Error, StringComparison.Ordinal);
    }
}
