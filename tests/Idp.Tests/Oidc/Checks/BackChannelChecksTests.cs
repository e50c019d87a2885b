using Idp.Oidc.Clients;
using Idp.Oidc.Introspection;
using Idp.Oidc.Protocol;
using Idp.Oidc.UserInfo;
using Microsoft.Extensions.Primitives;

namespace Idp.Tests.Oidc.Checks;

/// <summary>The named rules of the revocation, introspection and userinfo validators, one at a time.</summary>
public sealed class BackChannelChecksTests
{
    private static readonly ClientOptions Confidential = new() { ClientId = "rs", ClientSecrets = ["s"] };
    private static readonly ClientOptions Public = new() { ClientId = "spa" };

    [Fact]
    public void ABodyThatIsNotAFormIsRefusedFirst()
    {
        var read = new BackChannelRequest(null, new ClientAuthentication(null, OidcErrors.WrongContentType(), false), null);
        Assert.Equal(OidcErrors.WrongContentType(), BackChannelChecks.FormPost(read));
        Assert.Equal(OidcErrors.WrongContentType(), IntrospectionRequestValidator.Validate(read).Error);
    }

    [Fact]
    public void ADoubledParameterIsRefused()
    {
        var read = Read("token=a&token=b", Confidential);
        Assert.Equal(OidcErrors.DuplicateParameter("token", allowRedirect: false), BackChannelChecks.EachParameterOnce(read));
    }

    [Fact]
    public void TheTokenIsRequired()
    {
        Assert.Equal(OidcErrors.TokenRequestParameter("token"), BackChannelChecks.TokenPresent(Read("token_type_hint=refresh_token", Confidential)));
        Assert.Null(BackChannelChecks.TokenPresent(Read("token=t", Confidential)));
    }

    [Fact]
    public void AFailedClientAuthenticationKeepsItsOwnError()
    {
        var failed = new BackChannelRequest(Parameters("token=t"), new ClientAuthentication(null, OidcErrors.MultipleClientAuthentications(), true), "rs");
        Assert.Equal(OidcErrors.MultipleClientAuthentications(), BackChannelChecks.ClientAuthenticated(failed));
    }

    [Fact]
    public void APublicClientMayNotIntrospect()
    {
        Assert.Equal(OidcErrors.InvalidClient().Code, IntrospectionRequestValidator.ConfidentialClient(Read("token=t", Public))?.Code);
        Assert.Null(IntrospectionRequestValidator.ConfidentialClient(Read("token=t", Confidential)));
    }

    [Fact]
    public void UserInfoTakesTheTokenOneWayOnly()
    {
        Assert.Equal(OidcErrors.TokenRequestInvalid("Send the access token one way only."), UserInfoRequestValidator.OneMethodOnly(new UserInfoRequest("Bearer a", ["b"])));
        Assert.Equal(OidcErrors.TokenRequestInvalid("access_token appears more than once."), UserInfoRequestValidator.FormTokenOnce(new UserInfoRequest(string.Empty, ["a", "b"])));
        Assert.Equal(OidcErrors.InvalidToken("Use the Bearer scheme."), UserInfoRequestValidator.BearerScheme(new UserInfoRequest("Basic YTpi", [])));
        Assert.Equal("a", UserInfoRequestValidator.Validate(new UserInfoRequest("bearer a ", [])).Request?.AccessToken);
        Assert.Equal("b", UserInfoRequestValidator.Validate(new UserInfoRequest(string.Empty, ["b"])).Request?.AccessToken);
        Assert.Null(UserInfoRequestValidator.Validate(new UserInfoRequest(string.Empty, [])).Request?.AccessToken);
    }

    private static BackChannelRequest Read(string body, ClientOptions client)
        => new(Parameters(body), new ClientAuthentication(client, null, false), client.ClientId);

    private static ProtocolParameters Parameters(string query)
        => ProtocolParameters.From(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).Select(kv => new KeyValuePair<string, StringValues>(kv.Key, kv.Value)));
}
