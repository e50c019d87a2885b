namespace Idp.Hosting;

/// <summary><c>Idp:Limits</c>: what one request may make the node read or store.</summary>
public sealed class RequestLimitSettings
{
    /// <summary>Request body size; larger bodies get 413 before they are read.</summary>
    public long MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Fields in one form; more get 400.</summary>
    public int MaxFormFields { get; set; } = 100;

    /// <summary>Characters in one form field value; longer gets 400 (each protocol parameter has its own, smaller limit).</summary>
    public int MaxFieldLength { get; set; } = 16 * 1024;

    /// <summary>Bytes an authorization request may take while the person signs in (only the parameters the engine understands are kept).</summary>
    public int PendingAuthorizationBytes { get; set; } = 16 * 1024;
}
