using Idp.Hosting;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

internal static class IdentityRegistration
{
    public static IServiceCollection AddIdpIdentity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddIdentity<IdpUser, IdentityRole>()
            .AddEntityFrameworkStores<IdpDbContext>()
            .AddDefaultTokenProviders()
            .AddPasswordValidator<MaxLengthPasswordValidator>();
        services.RemoveAll<IUserValidator<IdpUser>>();
        services.AddScoped<IUserValidator<IdpUser>, StoreAwareUserValidator>();

        // From the validated Idp options, not from raw configuration: a bad value has already stopped start-up.
        services.AddOptions<IdentityOptions>().Configure<IOptions<IdpOptions>>((options, idp) =>
        {
            var settings = idp.Value;
            // NIST SP 800-63B §5.1.1.2: length, not composition rules.
            options.Password.RequiredLength = settings.Password.MinLength;
            options.Password.RequireDigit = false;
            options.Password.RequireLowercase = false;
            options.Password.RequireUppercase = false;
            options.Password.RequireNonAlphanumeric = false;
            options.Password.RequiredUniqueChars = 1;
            options.Lockout.AllowedForNewUsers = settings.Lockout.Enabled;
            options.Lockout.MaxFailedAccessAttempts = settings.Lockout.MaxFailedAttempts;
            options.Lockout.DefaultLockoutTimeSpan = settings.Lockout.Duration;
            options.User.RequireUniqueEmail = false;
            options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
            options.SignIn.RequireConfirmedAccount = false;
        });
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).Configure<IOptions<IdpOptions>>((cookie, idp) => cookie.ExpireTimeSpan = idp.Value.Session.IdleTimeout);
        services.AddSingleton<DbTicketStore>();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.SecurePolicy = CookieSecurity.Policy(environment, configuration);
            cookie.Cookie.Name = CookieSecurity.Name(CookieSecurity.SessionCookie, cookie.Cookie.SecurePolicy);
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = AccountRoutes.Login;
            cookie.LogoutPath = AccountRoutes.Logout;
            cookie.AccessDeniedPath = AccountRoutes.Denied;
            cookie.SlidingExpiration = true;
        });
        services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, SessionStoreConfigurator>();
        // The periodic security-stamp check rebuilds the principal from the user record; how and when the person
        // authenticated, and which session this is, are not in that record, so they are carried over (otherwise
        // amr, acr, auth_time and sid vanish: a re-login everywhere and a 500 at /2fregisters).
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.NewPrincipal?.Identities.FirstOrDefault() is { } identity && context.CurrentPrincipal is { } current)
            {
                identity.AddClaims(current.FindAll(c => c.Type is Oidc.Protocol.SessionClaims.Amr or Oidc.Protocol.SessionClaims.AuthTime or Oidc.Protocol.SessionClaims.SessionId).Select(c => new System.Security.Claims.Claim(c.Type, c.Value)));
            }

            return Task.CompletedTask;
        });
        services.AddScoped<UserDirectory>();
        services.AddScoped<IAccountLookupStore, Persistence.Stores.EfAccountLookupStore>();
        services.AddScoped<Persistence.Stores.SecondFactorDocumentCopies>();
        services.AddSingleton<DummyPasswordHash>();
        services.AddScoped<PasswordCheck>();
        services.AddScoped<PasswordSignIn>();
        services.AddScoped<SecondFactor.SecondFactorPolicy>();
        services.AddScoped<SecondFactor.PendingSignIns>();
        services.AddScoped<SecondFactor.IPendingSignInStore, Persistence.Stores.EfPendingSignInStore>();
        services.AddScoped<ISessionStore, Persistence.Stores.EfSessionStore>();
        services.AddScoped<SecondFactor.SecondFactorFailureBudget>();
        services.AddScoped<SecondFactor.ISecondFactorFailureStore, Persistence.Stores.EfSecondFactorFailureStore>();
        services.AddScoped<SecondFactor.SecondFactorAttempts>();
        services.AddScoped<SignInCompletion>();
        services.AddScoped<UserSessionsEnder>();
        services.AddScoped<SecondFactor.EnrollmentFlow>();
        // TryAdd: a test may wrap the flow to force an interleaving of two tabs.
        services.TryAddScoped<Idp.SecondFactors.IEnrollmentFlow, SecondFactor.EnrollmentFlow>();
        services.AddScoped<SecondFactor.FreshCodeCheck>();
        services.AddScoped<SecondFactor.SecondFactorMethods>();
        services.AddScoped<Idp.SecondFactors.ISecondFactorAccount, SecondFactor.SecondFactorAccount>();
        services.AddScoped<SecondFactor.SecondFactorSignIn>();
        return services;
    }

    /// <summary>Puts the application cookie's tickets in the database (see <see cref="DbTicketStore"/>).</summary>
    private sealed class SessionStoreConfigurator(DbTicketStore store) : IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            if (name == IdentityConstants.ApplicationScheme)
            {
                options.SessionStore = store;
            }
        }
    }
}
