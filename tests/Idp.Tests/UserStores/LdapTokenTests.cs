using Idp.Tests.Oidc;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Idp.Tests.UserStores;

/// <summary>What relying parties learn of a directory person: the directory's name and e-mail, a sub that is Idp's own.</summary>
public sealed class LdapTokenTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task TheTokensAndUserinfo_CarryTheDirectorysNameAndEMail(DatabaseKind kind)
    {
        var directory = await SharedLdap.GetAsync();
        await using var oidc = await OidcScenario.StartAsync(kind, LdapScenario.Settings(directory.Url));
        var login = LdapScenario.NewLogin("tom");
        await directory.AddPersonAsync(login, OidcScenario.Password, displayName: "Tom Thumb");
        var pkce = Pkce.Create();

        var callback = await oidc.AuthorizeAsync(oidc.Host.CreateBrowser(), OidcScenario.CodeRequest(pkce: pkce), login);
        var tokens = await OidcScenario.JsonAsync(await oidc.RedeemAsync(callback["code"], pkce));
        var idToken = new JsonWebToken(tokens.GetProperty("id_token").GetString()!);
        using var userinfoRequest = new HttpRequestMessage(HttpMethod.Get, "/connect/userinfo");
        userinfoRequest.Headers.Authorization = new("Bearer", tokens.GetProperty("access_token").GetString());
        var userinfo = await OidcScenario.JsonAsync(await oidc.Host.CreateBrowser().SendAsync(userinfoRequest));

        Assert.Equal("Tom Thumb", idToken.GetClaim("name").Value);
        Assert.Equal(login, idToken.GetClaim("preferred_username").Value);
        Assert.Equal($"{login}@example.org", idToken.GetClaim("email").Value);
        Assert.NotEqual(login, idToken.Subject);
        Assert.Equal("Tom Thumb", userinfo.GetProperty("name").GetString());
        Assert.Equal(idToken.Subject, userinfo.GetProperty("sub").GetString());
    }
}
