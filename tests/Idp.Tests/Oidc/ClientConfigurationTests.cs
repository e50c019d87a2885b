using Microsoft.Extensions.Options;

namespace Idp.Tests.Oidc;

/// <summary>Misconfigured clients stop start-up with a message naming the key.</summary>
public sealed class ClientConfigurationTests
{
    [Theory]
    [InlineData("Idp:Clients:1:RequirePkce", "false", "Idp:Clients:1:RequirePkce must be true for a public client")]
    [InlineData("Idp:Clients:0:RedirectUris:0", "https://rp.test/cb#frag", "Idp:Clients:0:RedirectUris:0 must be an absolute URI without a fragment")]
    [InlineData("Idp:Clients:0:RedirectUris:0", "http://rp.test/cb", "Idp:Clients:0:RedirectUris:0 must use https")]
    [InlineData("Idp:Clients:0:RedirectUris:0", "/relative", "must be an absolute URI")]
    [InlineData("Idp:Clients:1:ClientId", "webapp", "Idp:Clients:1:ClientId \"webapp\" is used by an earlier client.")]
    [InlineData("Idp:Clients:1:AllowedGrantTypes:0", "client_credentials", "Idp:Clients:1:AllowedGrantTypes: client_credentials needs ClientSecrets.")]
    [InlineData("Idp:Clients:0:AllowedGrantTypes:2", "implicit", "\"implicit\" is not one of")]
    [InlineData("Idp:Clients:0:ClientSecrets:0", "short", "Idp:Clients:0:ClientSecrets:0: a client secret must be at least 16 characters")]
    [InlineData("Idp:Clients:0:SigningAlgorithm", "HS256", "Idp:Clients:0:SigningAlgorithm must be RS256 or ES256")]
    [InlineData("Idp:Tokens:SigningAlgorithm", "none", "Idp:Tokens:SigningAlgorithm must be RS256 or ES256")]
    [InlineData("Idp:Tokens:AuthorizationCodeLifetime", "01:00:00", "Idp:Tokens:AuthorizationCodeLifetime must be from")]
    public async Task Start_MisconfiguredClient_FailsNamingTheKey(string key, string value, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = OidcClients.Settings();
        settings[key] = value;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => IdpTestHost.StartAsync(database, settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HashedClientSecret_Accepted()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = OidcClients.Settings();
        settings["Idp:Clients:3:ClientSecrets:0"] = Idp.Oidc.Clients.ClientSecretVerifier.Hash(OidcClients.MachineSecret);
        await using var host = await IdpTestHost.StartAsync(database, settings);
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }) };
        request.Headers.Authorization = OidcScenario.Basic(OidcClients.Machine, OidcClients.MachineSecret);

        var response = await host.CreateBrowser().SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }
}
