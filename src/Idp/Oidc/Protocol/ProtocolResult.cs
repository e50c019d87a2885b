namespace Idp.Oidc.Protocol;

/// <summary>
/// What a back-channel handler answers, without HTTP: a JSON body, an empty 200, or a catalogue error with the
/// WWW-Authenticate challenge it needs. <see cref="OidcHttpResults.Write"/> turns it into the response.
/// </summary>
internal sealed record ProtocolResult(IReadOnlyDictionary<string, object>? Body, OidcError? Error, string? Challenge = null)
{
    public static readonly ProtocolResult Empty = new(null, null);

    public static ProtocolResult Ok(IReadOnlyDictionary<string, object> body) => new(body, null);

    public static ProtocolResult Fail(OidcError error, string? challenge = null) => new(null, error, challenge);
}
