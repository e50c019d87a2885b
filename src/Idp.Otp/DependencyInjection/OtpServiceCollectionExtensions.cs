using Idp.SecondFactors;
using Idp.Otp.Options;
using Idp.Otp.Verification;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Idp.Otp.DependencyInjection;

public static class OtpServiceCollectionExtensions
{
    /// <summary>
    /// Registers the OTP plugin. The host supplies the <see cref="SecondFactors.ISecretProtector"/>, the
    /// <see cref="SecondFactors.ISecondFactorDocumentStore"/>, the <see cref="SecondFactors.IEnrollmentFlow"/> and a
    /// <see cref="TimeProvider"/>; its pages come with the assembly (a Razor Class Library).
    /// </summary>
    public static IServiceCollection AddIdpOtp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OtpOptions>().Bind(configuration.GetSection(OtpOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OtpOptions>, OtpOptionsValidator>());
        services.TryAddScoped<Abstractions.IOtpDeviceStore, Devices.OtpDeviceStore>();
        services.TryAddScoped<OtpVerificationService>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<SecondFactors.ISecondFactorMethod, SecondFactor.OtpSecondFactor>());
        services.TryAddScoped<Enrollment.OtpEnrollment>();
        services.TryAddScoped<Tokens.TokenDevices>();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<SecondFactors.ISecondFactorKeys, Transfer.OtpKeys>());
        return services;
    }
}
