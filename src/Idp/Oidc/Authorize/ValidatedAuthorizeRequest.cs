using Idp.Oidc.Clients;
using Idp.Oidc.Protocol;

namespace Idp.Oidc.Authorize;

/// <summary>An authorization request that passed every protocol check (phases 1 and 2).</summary>
public sealed record ValidatedAuthorizeRequest(
    ClientOptions Client,
    string RedirectUri,
    string ResponseMode,
    IReadOnlyList<string> Scopes,
    string? State,
    string? Nonce,
    string? CodeChallenge,
    IReadOnlySet<string> Prompt,
    int? MaxAge,
    string? LoginHint,
    IReadOnlyList<string> AcrValues,
    string? IdTokenHintSubject,
    ProtocolParameters Parameters)
{
    public bool PromptNone => Prompt.Contains("none");
}
