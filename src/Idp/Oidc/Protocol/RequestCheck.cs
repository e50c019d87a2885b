namespace Idp.Oidc.Protocol;

/// <summary>
/// One named rule of a request validator: the catalogue error when the request breaks it, null when it passes.
/// Validators list their checks at the top, in the order the RFCs imply, so each rule reads and tests on its own.
/// </summary>
public delegate OidcError? RequestCheck<in TRequest>(TRequest request);
