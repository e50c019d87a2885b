using Microsoft.Extensions.Options;

namespace Idp.UserStores;

internal static class UserStoreRegistration
{
    public const string ReadyCheckName = "stores";

    public static IServiceCollection AddIdpUserStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UserStoreOptions>().Bind(configuration.GetSection(UserStoreOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UserStoreOptions>, UserStoreOptionsValidator>();
        services.AddSingleton<UserStoreCatalog>();
        services.AddSingleton<StoreProbes>();
        services.AddScoped<AccountResolver>();
        services.AddScoped<DirectoryAccounts>();
        services.AddScoped<Accounts.PasswordFailures>();
        services.AddHealthChecks().AddCheck<UserStoresReadyCheck>(ReadyCheckName, tags: ["ready"]);
        return services;
    }
}
