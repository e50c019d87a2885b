using System.Net;
using System.Text.Json;
using Idp.Hosting;
using Idp.Secrets;
using Idp.Tests.Cli;
using Idp.Tests.Oidc;

namespace Idp.Tests.Hardening;

/// <summary>
/// The README's key change works end to end, signing keys included; a database under a key that is not configured
/// stops start-up with one line; discovery advertises only algorithms JWKS has a key for.
/// </summary>
public sealed class KeyTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task SecretsReencrypt_WithSigningKeys_OldKeyRemoved_TokensAndJwksStillServed(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        var oldKey = SecretKey.Generate().ToBase64();
        var newKey = SecretKey.Generate().ToBase64();
        var oldKeyFile = Path.Combine(Path.GetTempPath(), $"idp-old-{Guid.NewGuid():N}.key");
        await File.WriteAllTextAsync(oldKeyFile, oldKey);
        try
        {
            await using (var first = await IdpTestHost.StartAsync(database, OidcClients.Settings(), secretKey: oldKey))
            {
                Assert.Equal(HttpStatusCode.OK, (await MachineTokenAsync(first)).StatusCode);
            }

            var reencrypt = await new CliRunner(database, newKey, new Dictionary<string, string?> { ["Idp:Secrets:PreviousKeyFiles:0"] = oldKeyFile }).RunAsync("secrets", "reencrypt");

            Assert.True(reencrypt.ExitCode == 0, reencrypt.Error);
            Assert.Contains("2 signing key(s)", reencrypt.Output, StringComparison.Ordinal);
            await using var after = await IdpTestHost.StartAsync(database, OidcClients.Settings(), secretKey: newKey);
            Assert.Equal(HttpStatusCode.OK, (await MachineTokenAsync(after)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await after.CreateBrowser().GetAsync("/.well-known/jwks.json")).StatusCode);
        }
        finally
        {
            File.Delete(oldKeyFile);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Start_DatabaseUnderAnotherSecretKey_StopsNamingPreviousKeyFiles(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using (await IdpTestHost.StartAsync(database))
        {
        }

        var error = await Assert.ThrowsAsync<IdpConfigurationException>(() => IdpTestHost.StartAsync(database, secretKey: SecretKey.Generate().ToBase64()));

        Assert.Contains("Idp:Secrets:PreviousKeyFiles", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task Start_WrongSecretKey_WritesNoKeyTheOtherNodesCannotRead()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using (await IdpTestHost.StartAsync(database))
        {
        }

        // A new algorithm would make this node create a key; with the wrong secret key it must create none.
        await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, new Dictionary<string, string?> { ["Idp:Tokens:SigningAlgorithm"] = "ES256" }, secretKey: SecretKey.Generate().ToBase64()));

        await using var healthy = await IdpTestHost.StartAsync(database);
        var algorithms = await HardeningDb.QueryAsync(healthy.Services, db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.SigningKeys.Select(k => k.Algorithm)));
        Assert.Equal(["RS256"], algorithms);
        Assert.Equal(HttpStatusCode.OK, (await healthy.CreateBrowser().GetAsync("/.well-known/jwks.json")).StatusCode);
    }

    [Theory]
    [InlineData(null, new[] { "RS256" })]
    [InlineData("ES256", new[] { "ES256" })]
    public async Task Discovery_AdvertisesExactlyTheAlgorithmsJwksHasKeysFor(string? algorithm, string[] expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var host = await IdpTestHost.StartAsync(database, new Dictionary<string, string?> { ["Idp:Tokens:SigningAlgorithm"] = algorithm ?? "RS256" });
        var browser = host.CreateBrowser();

        var discovery = JsonDocument.Parse(await browser.GetStringAsync("/.well-known/openid-configuration")).RootElement;
        var jwks = JsonDocument.Parse(await browser.GetStringAsync("/.well-known/jwks.json")).RootElement;

        var advertised = discovery.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()).Order().ToArray();
        var published = jwks.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("alg").GetString()).Distinct().Order().ToArray();
        Assert.Equal(expected, advertised);
        Assert.Equal(published, advertised);
    }

    private static Task<HttpResponseMessage> MachineTokenAsync(IdpTestHost host)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api:read" }),
        };
        request.Headers.Authorization = OidcScenario.Basic(OidcClients.Machine, OidcClients.MachineSecret);
        return host.CreateBrowser().SendAsync(request);
    }
}
