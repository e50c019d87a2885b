using Idp.Oidc.Protocol;

namespace Idp.Tests.Oidc;

/// <summary>
/// RFC 6749 §4.1.2.1: an authorize error goes back to the client only once the client and its redirect URI are
/// known. The catalogue says which entries may; an error built anywhere else may not.
/// </summary>
public sealed class OidcErrorCatalogueTests
{
    [Fact]
    public void AnErrorIsNotRedirected_UnlessItsCatalogueEntrySaysSo()
    {
        Assert.False(new OidcError(OidcErrorCodes.InvalidRequest, "built outside the catalogue").AllowRedirect);
        Assert.All(
            [
                OidcErrors.MissingClientId(), OidcErrors.UnknownClient(), OidcErrors.MissingRedirectUri(), OidcErrors.UnregisteredRedirectUri(),
                OidcErrors.DuplicateParameter("client_id", allowRedirect: false), OidcErrors.ParameterTooLong("redirect_uri", 2048, allowRedirect: false),
                OidcErrors.InteractionExpired(), OidcErrors.InteractionCompleted(), OidcErrors.InvalidClient(), OidcErrors.InvalidGrant("x"),
                OidcErrors.InvalidToken("x"), OidcErrors.ServerError(),
            ],
            error => Assert.False(error.AllowRedirect, error.Description));
        Assert.All(
            [
                OidcErrors.MissingParameter("scope"), OidcErrors.InvalidParameter("prompt", "x"), OidcErrors.UnsupportedResponseType(),
                OidcErrors.OpenIdScopeMissing(), OidcErrors.ScopeNotAllowed("admin"), OidcErrors.GrantNotAllowed("authorization_code"),
                OidcErrors.PkceRequired(), OidcErrors.PkceMethodNotSupported(), OidcErrors.RequestObjectNotSupported(),
                OidcErrors.RequestUriNotSupported(), OidcErrors.RegistrationNotSupported(), OidcErrors.LoginRequired(),
                OidcErrors.ConsentRequired(), OidcErrors.InteractionRequired("x"), OidcErrors.AccessDenied(), OidcErrors.RequestTooLarge(),
            ],
            error => Assert.True(error.AllowRedirect, error.Description));
    }
}
