using Idp.Oidc.Clients;

namespace Idp.Oidc.Revocation;

/// <summary>A revocation request that passed <see cref="RevocationRequestValidator"/>: an authenticated client and a token.</summary>
internal sealed record ValidatedRevocationRequest(ClientOptions Client, string Token);
