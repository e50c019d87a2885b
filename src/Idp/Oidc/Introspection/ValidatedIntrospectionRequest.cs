using Idp.Oidc.Clients;

namespace Idp.Oidc.Introspection;

/// <summary>An introspection request that passed <see cref="IntrospectionRequestValidator"/>: a confidential client and a token.</summary>
internal sealed record ValidatedIntrospectionRequest(ClientOptions Client, string Token);
