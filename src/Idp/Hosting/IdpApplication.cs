using Idp.Accounts;
using Idp.Hosting.DataProtection;
using Idp.Hosting.Health;
using Idp.Hosting.Themes;
using Idp.Oidc;
using Idp.Otp.DependencyInjection;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Persistence;
using Idp.Persistence.Stores;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using Idp.UserStores;

namespace Idp.Hosting;

/// <summary>The composition root: the server, the command line and the tests all build the app here.</summary>
internal static class IdpApplication
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            // Pages are compiled into this assembly; under a test runner the entry assembly is another one.
            ApplicationName = typeof(IdpApplication).Assembly.GetName().Name,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(builder.Configuration["Urls"]))
        {
            builder.WebHost.UseUrls("http://localhost:5000");
        }

        // Hosts (tests, the CLI) customise first: their configuration is read below, and their services win over TryAdd.
        customize?.Invoke(builder);
        ConfigurationTypeCheck.Check(builder.Configuration);
        AddIdp(builder.Services, builder.Configuration, builder.Environment);
        var app = builder.Build();
        UseIdp(app);
        return app;
    }

    internal static void AddIdp(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        // First hosted service: the schema must exist before data protection reads its keys from it.
        services.AddSingleton<StartupInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StartupInitializer>());
        services.AddOptions<IdpOptions>().Bind(configuration.GetSection(IdpOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdpOptions>, IdpOptionsValidator>();
        services.AddSingleton<IValidateOptions<IdpOptions>, EdgeOptionsValidator>();
        services.AddSingleton<IValidateOptions<IdpOptions>, Accounts.AccountOptionsValidator>();
        services.AddSingleton<IValidateOptions<IdpOptions>, Accounts.Notices.MailOptionsValidator>();
        services.AddSingleton<IValidateOptions<IdpOptions>, Admin.AdminOptionsValidator>();
        services.AddSingleton<IValidateOptions<IdpOptions>, Audit.AuditOptionsValidator>();
        services.AddSingleton<IValidateOptions<IdpOptions>, Oidc.OidcOptionsValidator>();
        services.AddSingleton<IValidateOptions<IdpOptions>, Validation.ValidationOptionsValidator>();
        services.AddSingleton<Validation.ValidationClients>();
        services.AddScoped<Validation.IValidationTransactionStore, Persistence.Stores.EfValidationTransactionStore>();
        services.AddScoped<Validation.ValidationTransactions>();
        services.AddScoped<Validation.SecondFactorValidation>();
        services.AddSingleton<IValidateOptions<IdpOptions>, Radius.RadiusOptionsValidator>();
        services.AddSingleton<Radius.RadiusClients>();
        services.AddSingleton<Radius.RadiusDuplicateCache>();
        services.AddSingleton<Radius.RadiusRequestHandler>();
        services.AddHostedService<Radius.RadiusServer>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => SecretKeyRingLoader.Load(
            sp.GetRequiredService<IOptions<IdpOptions>>().Value.Secrets,
            environment,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger("Idp.Secrets")));
        services.AddSingleton(sp => new SecretProtector(sp.GetRequiredService<SecretKeyRing>()));
        services.AddSingleton<SessionIdentifiers>();
        // What factors see of it: encrypt and decrypt their keys, nothing of the key ring.
        services.AddSingleton<Idp.SecondFactors.ISecretProtector>(sp => sp.GetRequiredService<SecretProtector>());

        services.AddIdpDatabase(configuration);
        services.AddScoped<DatabaseMigrator>();
        services.AddScoped<Backup.DatabaseBackup>();
        services.AddScoped<Backup.DatabaseRestore>();
        services.AddScoped<Backup.ArchivedSecrets>();
        services.AddSingleton<ExpiredStateCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<ExpiredStateCleanup>());
        services.AddIdpDataProtection();
        services.AddIdpIdentity(configuration, environment);
        services.AddIdpUserStores(configuration);
        Telemetry.MetricsRegistration.AddIdpMetrics(services, configuration);
        services.AddScoped<SetupTokenService>();
        services.AddScoped<ISetupTokenStore, Persistence.Stores.EfSetupTokenStore>();
        services.AddScoped<Admin.UserAdministration>();
        services.AddScoped<Admin.AccountAdministration>();
        services.AddScoped<Admin.AuditQuery>();
        services.AddScoped<Tokens.TokenPool>();
        services.AddScoped<Tokens.TokenImporter>();
        services.AddScoped<Tokens.TokenCatalog>();
        services.AddScoped<Tokens.TokenExporter>();
        services.AddScoped<Tokens.EnrollmentRequests>();
        services.AddScoped<Tokens.PoolAssignment>();
        services.TryAddSingleton<ISetupLinkAnnouncer, ConsoleSetupLinkAnnouncer>();

        services.AddIdpOidc();
        services.AddIdpOtp(configuration);
        // Otp:Issuer left empty names the IdP's own host in authenticator apps.
        services.AddOptions<Otp.Options.OtpOptions>().PostConfigure<IOptions<IdpOptions>>((otp, idp) =>
        {
            if (string.IsNullOrEmpty(otp.Issuer) && Uri.TryCreate(idp.Value.Issuer, UriKind.Absolute, out var issuer))
            {
                otp.Issuer = issuer.Host;
            }
        });
        services.AddScoped<Idp.SecondFactors.ISecondFactorDocumentStore, EfSecondFactorDocumentStore>();

        services.AddSingleton<ThemeCatalog>();
        // The second-step pages come before any session: the pending sign-in cookie is their authorisation.
        services.AddRazorPages(options =>
        {
            options.Conventions.Add(new Accounts.AccountPageRoutes());
            options.Conventions.AuthorizeFolder("/Admin").AuthorizeFolder("/Account")
                .AllowAnonymousToPage("/Account/Login").AllowAnonymousToPage("/Account/Logout")
                .AllowAnonymousToPage("/Account/TwoFactor").AllowAnonymousToPage("/Account/Enroll").AllowAnonymousToPage("/Account/StepUp");
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.SecurePolicy = CookieSecurity.Policy(environment, configuration);
            options.Cookie.Name = CookieSecurity.Name(CookieSecurity.AntiforgeryCookie, options.Cookie.SecurePolicy);
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: ["ready"]);
        services.AddExceptionHandler<DatabaseOutageHandler>();
        services.AddIdpRateLimiting();
        services.AddIdpRequestLimits();
        services.AddIdpForwardedHeaders();
    }

    internal static void UseIdp(WebApplication app)
    {
        app.UseIdpForwardedHeaders();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler("/error");
        app.UseJsonErrorResponses();
        app.UseWhen(context => !JsonErrorResponses.IsJsonEndpoint(context), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.UseIdpRequestLimits();
        Telemetry.MetricsRegistration.MapIdpMetrics(app);
        var theme = app.Services.GetRequiredService<ThemeCatalog>();
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(theme.Folder), RequestPath = ThemeCatalog.RequestPath });
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = ReadinessResponse.WriteAsync });
        app.MapOidc();
        Validation.ValidationEndpoints.MapValidation(app);
        Admin.Api.AdminApiEndpoints.MapAdminApi(app);
        Admin.Api.TokenApiEndpoints.MapTokenApi(app);
        app.MapRazorPages();
    }
}
