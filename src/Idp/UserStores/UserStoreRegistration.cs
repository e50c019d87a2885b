using Microsoft.Extensions.Options;

namespace Idp.UserStores;

internal static class UserStoreRegistration
{
    public static IServiceCollection AddIdpUserStores(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UserStoreOptions>().Bind(configuration.GetSection(UserStoreOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UserStoreOptions>, UserStoreOptionsValidator>();
        services.AddSingleton<UserStoreCatalog>();
        services.AddScoped<AccountResolver>();
        services.AddScoped<DirectoryAccounts>();
        services.AddScoped<DirectoryPasswordFailures>();
        return services;
    }
}
