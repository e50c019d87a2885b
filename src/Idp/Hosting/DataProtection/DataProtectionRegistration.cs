using Idp.Otp.Secrets;
using Idp.Secrets;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;

namespace Idp.Hosting.DataProtection;

internal static class DataProtectionRegistration
{
    public static IServiceCollection AddIdpDataProtection(this IServiceCollection services)
    {
        // One application name on every node, so all of them read each other's cookies.
        services.AddDataProtection().SetApplicationName("Idp");
        services.AddSingleton<DbXmlRepository>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(options =>
        {
            options.XmlRepository = sp.GetRequiredService<DbXmlRepository>();
            options.XmlEncryptor = new SecretKeyXmlEncryptor(sp.GetRequiredService<SecretProtector>());
        }));
        return services;
    }
}
