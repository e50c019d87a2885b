using System.Text.Json;
using Idp.Oidc.Keys;
using Idp.Persistence;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Tests.Oidc;

/// <summary>Signing keys: encrypted at rest, shared by nodes, rotated with the next key published before it signs.</summary>
public sealed class SigningKeyTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Keys_TwoNodes_SameKeys_PrivateHalvesEncrypted(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var nodeA = await IdpTestHost.StartAsync(database, OidcClients.Settings());
        await using var nodeB = await IdpTestHost.StartAsync(database, OidcClients.Settings());

        var jwksA = await nodeA.CreateBrowser().GetStringAsync("/.well-known/jwks.json");
        var jwksB = await nodeB.CreateBrowser().GetStringAsync("/.well-known/jwks.json");
        await using var scope = nodeA.Services.CreateAsyncScope();
        var rows = scope.ServiceProvider.GetRequiredService<IdpDbContext>().SigningKeys.ToList();

        Assert.Equal(Kids(jwksA), Kids(jwksB));
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.StartsWith("{idp}v1.", r.ProtectedPrivateKey, StringComparison.Ordinal));
    }

    /// <summary>Test hosts draw RSA keys from a pool (<c>PooledSigningKeyGenerator</c>); the app's own generator is checked here.</summary>
    [Fact]
    public void TheGenerator_MakesAFreshRsa2048Key_WhoseJwkIsItsPublicHalf()
    {
        var generator = new SigningKeyGenerator();
        var first = generator.Create("RS256");
        var second = generator.Create("RS256");

        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportPkcs8PrivateKey(first.Pkcs8, out _);
        var jwk = new JsonWebKey(first.PublicJwk);
        var parameters = rsa.ExportParameters(false);
        Assert.Equal(2048, rsa.KeySize);
        Assert.Equal(("RSA", "RS256", first.KeyId), (jwk.Kty, jwk.Alg, jwk.Kid));
        Assert.Equal(Base64UrlEncoder.Encode(parameters.Modulus), jwk.N);
        Assert.Equal(Base64UrlEncoder.Encode(parameters.Exponent), jwk.E);
        Assert.NotEqual(first.KeyId, second.KeyId);
        Assert.NotEqual(jwk.N, new JsonWebKey(second.PublicJwk).N);
        using var short1024 = System.Security.Cryptography.RSA.Create(1024);
        Assert.Throws<ArgumentException>(() => SigningKeyGenerator.FromRsa("RS256", short1024));
    }

    [Fact]
    public void TheGenerator_MakesAP256KeyForES256_WhoseJwkIsItsPublicHalf()
    {
        var key = new SigningKeyGenerator().Create("ES256");

        using var ec = System.Security.Cryptography.ECDsa.Create();
        ec.ImportPkcs8PrivateKey(key.Pkcs8, out _);
        var jwk = new JsonWebKey(key.PublicJwk);
        var q = ec.ExportParameters(false).Q;
        Assert.Equal(("EC", "ES256", "P-256"), (jwk.Kty, jwk.Alg, jwk.Crv));
        Assert.Equal(256, ec.KeySize);
        Assert.Equal(Base64UrlEncoder.Encode(q.X), jwk.X);
        Assert.Equal(Base64UrlEncoder.Encode(q.Y), jwk.Y);
    }

    [Fact]
    public async Task Keys_RotationDue_NextKeyPublishedBeforeItSigns_OldKeyKeptWhileItsTokensLive()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var keys = oidc.Host.Services.GetRequiredService<SigningKeyService>();
        var first = (await keys.CurrentAsync("RS256", CancellationToken.None)).KeyId;

        oidc.Host.Time.Advance(TimeSpan.FromDays(28.5));
        await keys.EnsureKeysAsync(CancellationToken.None);
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(2));
        var published = (await keys.PublishedAsync(CancellationToken.None)).Where(k => k.Algorithm == "RS256").Select(k => k.KeyId).ToList();
        var stillSigning = (await keys.CurrentAsync("RS256", CancellationToken.None)).KeyId;

        oidc.Host.Time.Advance(TimeSpan.FromDays(1.5));
        var afterActivation = (await keys.CurrentAsync("RS256", CancellationToken.None)).KeyId;
        var publishedAfter = (await keys.PublishedAsync(CancellationToken.None)).Select(k => k.KeyId).ToList();
        oidc.Host.Time.Advance(TimeSpan.FromHours(1));
        var publishedLater = (await keys.PublishedAsync(CancellationToken.None)).Select(k => k.KeyId).ToList();

        Assert.Equal(2, published.Count);
        Assert.Equal(first, stillSigning);
        Assert.NotEqual(first, afterActivation);
        Assert.Contains(first, publishedAfter);
        Assert.DoesNotContain(first, publishedLater);
    }

    [Fact]
    public async Task Keys_RotateVerb_NewKidSignsAndOldStaysInJwks()
    {
        await using var oidc = await OidcScenario.StartAsync(DatabaseKind.Sqlite);
        var before = (await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser(), "openid")).GetProperty("id_token").GetString()!;
        var cli = new Cli.CliRunner(oidc.Inner.Database, extra: OidcClients.Settings());

        var rotate = await cli.RunAsync("keys", "rotate");
        oidc.Host.Time.Advance(TimeSpan.FromMinutes(2));
        var after = (await oidc.SignInAndRedeemAsync(oidc.Host.CreateBrowser(), "openid")).GetProperty("id_token").GetString()!;
        var jwks = Kids(await oidc.Host.CreateBrowser().GetStringAsync("/.well-known/jwks.json"));

        Assert.Equal(0, rotate.ExitCode);
        // Two keys (RS256, ES256) at start-up by the server, two more by the command line, which writes its own
        // audit rows: no background writer runs there.
        Assert.Equal(4, await TestAudit.CountAsync(oidc.Host.Services, "oidc.signing_key_created"));

        Assert.NotEqual(new JsonWebToken(before).Kid, new JsonWebToken(after).Kid);
        Assert.Contains(new JsonWebToken(before).Kid, jwks);
        Assert.Contains(new JsonWebToken(after).Kid, jwks);
    }

    private static List<string> Kids(string jwks)
        => [.. JsonDocument.Parse(jwks).RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!).Order()];
}
