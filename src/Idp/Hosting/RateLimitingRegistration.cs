using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Idp.Hosting;

/// <summary>
/// Per-address limits on guessing endpoints. They slow a single source down; the per-account lockout, which lives in
/// the database, is what holds across nodes.
/// </summary>
internal static class RateLimitingRegistration
{
    /// <summary>Shared with the factors' own pages through the contract.</summary>
    public const string SignInPolicy = Idp.SecondFactors.SecondFactorConventions.GuessingRateLimit;

    public static IServiceCollection AddIdpRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SignInPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdpOptions>>().Value.RateLimits.SignInPerMinute;
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                // Only form posts count: showing the page costs nothing to guess with.
                return HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) })
                    : RateLimitPartition.GetNoLimiter("get");
            });
        });
        return services;
    }
}
