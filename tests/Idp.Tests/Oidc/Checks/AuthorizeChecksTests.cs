using Idp.Oidc.Authorize;
using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;
using Microsoft.Extensions.Primitives;

namespace Idp.Tests.Oidc.Checks;

/// <summary>
/// The authorize validator's named phase-2 rules, one at a time: each passes a request that keeps it and answers its
/// own catalogue entry for one that breaks it. The integration tests in AuthorizeTests drive the same rules over HTTP.
/// </summary>
public sealed class AuthorizeChecksTests
{
    private static readonly ClientOptions Client = new()
    {
        ClientId = "app",
        RedirectUris = ["https://app.test/cb"],
        AllowedScopes = ["openid", "profile"],
        AllowedGrantTypes = ["authorization_code"],
    };

    private const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    public static TheoryData<string, RequestCheck<AuthorizeCheckInput>, string, OidcError> Broken => new()
    {
        { nameof(AuthorizeRequestValidator.NoRequestObject), AuthorizeRequestValidator.NoRequestObject, "request=x", OidcErrors.RequestObjectNotSupported() },
        { nameof(AuthorizeRequestValidator.NoRequestUri), AuthorizeRequestValidator.NoRequestUri, "request_uri=x", OidcErrors.RequestUriNotSupported() },
        { nameof(AuthorizeRequestValidator.NoRegistration), AuthorizeRequestValidator.NoRegistration, "registration=x", OidcErrors.RegistrationNotSupported() },
        { nameof(AuthorizeRequestValidator.ResponseTypePresent), AuthorizeRequestValidator.ResponseTypePresent, "scope=openid", OidcErrors.MissingParameter("response_type") },
        { nameof(AuthorizeRequestValidator.ResponseTypeCode), AuthorizeRequestValidator.ResponseTypeCode, "response_type=token", OidcErrors.UnsupportedResponseType() },
        { nameof(AuthorizeRequestValidator.ResponseModeSupported), AuthorizeRequestValidator.ResponseModeSupported, "response_mode=fragment", OidcErrors.InvalidParameter("response_mode", "use query or form_post.") },
        { nameof(AuthorizeRequestValidator.ScopePresent), AuthorizeRequestValidator.ScopePresent, "response_type=code", OidcErrors.MissingParameter("scope") },
        { nameof(AuthorizeRequestValidator.ScopeIncludesOpenId), AuthorizeRequestValidator.ScopeIncludesOpenId, "scope=profile", OidcErrors.OpenIdScopeMissing() },
        { nameof(AuthorizeRequestValidator.ScopesAllowed), AuthorizeRequestValidator.ScopesAllowed, "scope=openid+email", OidcErrors.ScopeNotAllowed("email") },
        { nameof(AuthorizeRequestValidator.Pkce), AuthorizeRequestValidator.Pkce, "scope=openid", OidcErrors.PkceRequired() },
        { nameof(AuthorizeRequestValidator.Pkce) + " plain", AuthorizeRequestValidator.Pkce, $"code_challenge={Challenge}&code_challenge_method=plain", OidcErrors.PkceMethodNotSupported() },
        { nameof(AuthorizeRequestValidator.PromptValuesKnown), AuthorizeRequestValidator.PromptValuesKnown, "prompt=always", OidcErrors.InvalidParameter("prompt", "\"always\" is not none, login, consent or select_account.") },
        { nameof(AuthorizeRequestValidator.PromptNoneAlone), AuthorizeRequestValidator.PromptNoneAlone, "prompt=none+login", OidcErrors.InvalidParameter("prompt", "none cannot be combined with other values.") },
        { nameof(AuthorizeRequestValidator.MaxAgeWholeSeconds), AuthorizeRequestValidator.MaxAgeWholeSeconds, "max_age=-1", OidcErrors.InvalidParameter("max_age", "a whole number of seconds is expected.") },
        { nameof(AuthorizeRequestValidator.DisplayKnown), AuthorizeRequestValidator.DisplayKnown, "display=tv", OidcErrors.InvalidParameter("display", "use page, popup, touch or wap.") },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void ABrokenRuleAnswersItsCatalogueEntry(string rule, RequestCheck<AuthorizeCheckInput> check, string query, OidcError expected)
    {
        Assert.Equal(expected, check(Input(query)));
        Assert.True(expected.AllowRedirect, $"{rule} is a phase-2 rule: its error goes back to the client");
    }

    [Fact]
    public void AWellFormedRequestPassesEveryPhaseTwoRule()
    {
        var input = Input($"response_type=code&scope=openid+profile&code_challenge={Challenge}&code_challenge_method=S256&prompt=login+consent&max_age=300&display=page&response_mode=form_post");
        Assert.All(AuthorizeRequestValidator.PhaseTwo, check => Assert.Null(check(input)));
    }

    [Fact]
    public void AClientNotRegisteredForTheCodeFlowIsUnauthorized()
    {
        var machine = new ClientOptions { ClientId = "m", AllowedGrantTypes = ["client_credentials"] };
        Assert.Equal(OidcErrors.GrantNotAllowed("authorization_code"), AuthorizeRequestValidator.ClientMayUseCodeFlow(new AuthorizeCheckInput(Parameters(""), machine)));
        Assert.Null(AuthorizeRequestValidator.ClientMayUseCodeFlow(Input("")));
    }

    [Theory]
    [InlineData("client_id=a&client_id=b", "client_id")]
    [InlineData("redirect_uri=a&redirect_uri=b", "redirect_uri")]
    public void ADoubledIdentifyingParameterIsNeverRedirected(string query, string name)
    {
        var error = AuthorizeRequestValidator.IdentifyingParametersOnce(Parameters(query));
        Assert.Equal(OidcErrors.DuplicateParameter(name, allowRedirect: false), error);
        Assert.False(error!.AllowRedirect);
    }

    [Fact]
    public void PhaseOneNamesAMissingClientIdAndRedirectUri()
    {
        Assert.Equal(OidcErrors.MissingClientId(), AuthorizeRequestValidator.ClientIdPresent(Parameters("redirect_uri=x")));
        Assert.Equal(OidcErrors.MissingRedirectUri(), AuthorizeRequestValidator.RedirectUriPresent(Parameters("client_id=app")));
        Assert.Null(AuthorizeRequestValidator.RedirectUriPresent(Parameters("redirect_uri=https://app.test/cb")));
    }

    private static AuthorizeCheckInput Input(string query) => new(Parameters(query), Client);

    private static ProtocolParameters Parameters(string query)
        => ProtocolParameters.From(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).Select(kv => new KeyValuePair<string, StringValues>(kv.Key, kv.Value)), AuthorizeRequestValidator.Limits);
}
