using Idp.Hosting;
using Idp.Audit;
using Idp.Oidc.Authorize;
using Idp.Oidc.Clients;
using Idp.Oidc.Consent;
using Idp.Oidc.EndSession;
using Idp.Oidc.Grants;
using Idp.Oidc.Introspection;
using Idp.Oidc.Keys;
using Idp.Oidc.Revocation;
using Idp.Oidc.Token;
using Idp.Oidc.Tokens;
using Idp.Oidc.UserInfo;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Idp.Oidc;

internal static class OidcRegistration
{
    /// <summary>Development's issuer when none is configured: the address the server listens on by default.</summary>
    public const string DevelopmentIssuer = "http://localhost:5000";

    public static IServiceCollection AddIdpOidc(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddSingleton<IPostConfigureOptions<IdpOptions>>(new PostConfigureOptions<IdpOptions>(null, o =>
        {
            o.Issuer = string.IsNullOrWhiteSpace(o.Issuer) ? DevelopmentIssuer : o.Issuer.TrimEnd('/');
            o.Clients.ForEach(c => c.ApplyDefaults());
        }));
        services.AddSingleton<ClientRegistry>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<ISigningKeyStore, Persistence.Stores.EfSigningKeyStore>();
        // TryAdd: a host (the test suite's key pool) may bring its own.
        services.TryAddSingleton<ISigningKeyGenerator, SigningKeyGenerator>();
        services.AddSingleton<SigningKeyService>();
        services.AddSingleton<TokenFactory>();
        services.AddSingleton<Discovery.DiscoveryDocument>();
        services.AddSingleton<IdTokenHintValidator>();
        services.AddSingleton<AuthorizeRequestValidator>();
        services.AddSingleton<EndSessionRequestValidator>();
        services.AddScoped<EndSessionHandler>();
        services.AddScoped<ConsentDecisionValidator>();
        services.AddScoped<ConsentHandler>();
        services.AddScoped<AccessTokenValidator>();
        services.AddScoped<IGrantStore, Persistence.Stores.EfGrantStore>();
        services.AddScoped<IRefreshTokenStore, Persistence.Stores.EfRefreshTokenStore>();
        services.AddScoped<PendingAuthorizations>();
        services.AddScoped<IPendingAuthorizationStore, Persistence.Stores.EfPendingAuthorizationStore>();
        services.AddScoped<IConsentStore, Persistence.Stores.EfConsentStore>();
        services.AddScoped<AuthorizeHandler>();
        services.AddSingleton<TokenRequestHandler>();
        services.AddScoped<TokenRequestValidator>();
        services.AddScoped<RevocationHandler>();
        services.AddScoped<IntrospectionHandler>();
        services.AddScoped<UserInfoHandler>();
        services.AddScoped<TokenIssuer>();
        services.AddScoped<ITokenGrant, AuthorizationCodeGrant>();
        services.AddScoped<ITokenGrant, RefreshTokenGrant>();
        services.AddScoped<ITokenGrant, ClientCredentialsGrant>();
        services.AddSingleton<AuditQueue>();
        services.AddHostedService<AuditWriter>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<ProtocolErrorTally>();
        services.AddHostedService<ProtocolErrorTallyWriter>();
        services.AddSingleton<Accounts.Notices.MailOutbox>();
        services.AddSingleton<Accounts.Notices.MailSender>();
        services.AddHostedService<Accounts.Notices.MailDelivery>();
        services.AddSingleton<IAuditSubscriber, Accounts.Notices.DeviceChangeNotifier>();
        services.AddHostedService<SigningKeyRotation>();
        return services;
    }
}
