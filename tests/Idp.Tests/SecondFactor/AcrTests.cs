using System.Net;
using Idp.Tests.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.SecondFactor;

/// <summary>Idp:Acr: the configured acr values are published, asked for with acr_values, and asserted in ID tokens.</summary>
public sealed class AcrTests
{
    private const string Level1 = "urn:example:loa:1";
    private const string Level2 = "urn:example:loa:2";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ConfiguredAcrValues_PublishedAskedForAndAsserted_StepUpAsksForTheCodeOnly(DatabaseKind kind)
    {
        await using var oidc = await OidcScenario.StartAsync(kind, SecondFactorScenario.Settings(("Otp:Activation", "Off"), ("Idp:Acr:Password", Level1), ("Idp:Acr:SecondFactor", Level2)));
        await SecondFactorScenario.GiveDeviceAsync(oidc.Host, "alice");
        var browser = oidc.Host.CreateBrowser();

        var discovery = await OidcScenario.JsonAsync(await browser.GetAsync("/.well-known/openid-configuration"));
        var first = Pkce.Create();
        var passwordOnly = await RedeemIdTokenAsync(oidc, await oidc.AuthorizeAsync(browser, OidcScenario.CodeRequest(pkce: first)), first);
        var second = Pkce.Create();
        var request = OidcScenario.CodeRequest(pkce: second);
        request["acr_values"] = Level2;
        var stepUp = await oidc.BrowseAsync(browser, OidcScenario.AuthorizeUrl(request), userName: null);
        var code = await SecondFactorScenario.SubmitCodeAsync(browser, SecondFactorScenario.CodeAt(oidc.Host));
        var callback = await SecondFactorScenario.FollowAsync(browser, code);
        var withCode = await RedeemIdTokenAsync(oidc, OidcScenario.CallbackParameters(callback.Headers.Location!), second);

        Assert.Equal([Level1, Level2], discovery.GetProperty("acr_values_supported").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(Level1, passwordOnly.GetClaim("acr").Value);
        Assert.Equal(HttpStatusCode.OK, stepUp.StatusCode);
        Assert.Contains("Enter your code", await stepUp.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(Level2, withCode.GetClaim("acr").Value);
        Assert.Equal(["pwd", "otp", "mfa"], withCode.Claims.Where(c => c.Type == "amr").Select(c => c.Value));
    }

    [Theory]
    [InlineData("Idp:Acr:SecondFactor", "urn:idp:acr:pwd", "Idp:Acr:Password and Idp:Acr:SecondFactor must differ")]
    [InlineData("Idp:Acr:Password", "two words", "Idp:Acr:Password must be one acr value without spaces")]
    [InlineData("Idp:Clients:0:MinimumAcr", "urn:other:acr", "Idp:Clients:0:MinimumAcr must be one of the Idp:Acr values")]
    public async Task BadAcrSettings_StopStartUpNamingTheKey(string key, string value, string expected)
    {
        var settings = OidcClients.Settings();
        settings[key] = value;

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await OidcScenario.StartAsync(DatabaseKind.Sqlite, settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static async Task<JsonWebToken> RedeemIdTokenAsync(OidcScenario oidc, Dictionary<string, string> callback, Pkce pkce)
    {
        var tokens = await OidcScenario.JsonAsync(await oidc.RedeemAsync(callback["code"], pkce));
        return new JsonWebToken(tokens.GetProperty("id_token").GetString()!);
    }
}
