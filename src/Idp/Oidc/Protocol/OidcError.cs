namespace Idp.Oidc.Protocol;

/// <summary>
/// A protocol error as a value: the code and description sent to the client, the HTTP status, whether it may be
/// sent back to the client's redirect URI, and a detail for the log only. Exceptions are reserved for bugs.
/// </summary>
public sealed record OidcError(string Code, string Description, int Status = StatusCodes.Status400BadRequest, bool AllowRedirect = false, string? InternalDetail = null)
{
    public OidcError WithDetail(string detail) => this with { InternalDetail = detail };
}
