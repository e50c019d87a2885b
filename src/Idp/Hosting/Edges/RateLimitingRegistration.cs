using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Idp.Hosting;

/// <summary>
/// Per-address limits on every guessing or costly endpoint. They slow one source down; the per-account lockout,
/// which lives in the database, is what holds across nodes. The address is the connection's own unless a configured
/// proxy forwarded it (<see cref="ForwardedHeadersRegistration"/>); IPv6 addresses count per /64, the block one
/// customer line gets (RFC 6177), so rotating through one's own block buys nothing.
/// </summary>
internal static class RateLimitingRegistration
{
    /// <summary>Password, code, step-up, setup and /2fregisters posts. Shared with the factors' pages through the contract.</summary>
    public const string SignInPolicy = Idp.SecondFactors.SecondFactorConventions.GuessingRateLimit;

    public const string AuthorizePolicy = "authorize";

    public const string TokenPolicy = "token";

    /// <summary>Introspection and revocation: each tries a token someone holds.</summary>
    public const string TokenInspectionPolicy = "token-inspection";

    public const string AdminApiPolicy = "admin-api";

    /// <summary>/validate/*: a VPN concentrator asks for all its users from one address, so the default is high; the per-user budget limits guessing.</summary>
    public const string ValidationPolicy = "validate";

    public static IServiceCollection AddIdpRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // RFC 6585 §4: a 429 may say when to come back.
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                return ValueTask.CompletedTask;
            };
            // Only form posts count on pages: showing a page costs nothing to guess with.
            AddPerAddress(options, SignInPolicy, limits => limits.SignInPerMinute, postsOnly: true);
            AddPerAddress(options, AuthorizePolicy, limits => limits.AuthorizePerMinute, postsOnly: false);
            AddPerAddress(options, TokenPolicy, limits => limits.TokenPerMinute, postsOnly: false);
            AddPerAddress(options, TokenInspectionPolicy, limits => limits.TokenInspectionPerMinute, postsOnly: false);
            AddPerAddress(options, AdminApiPolicy, limits => limits.AdminApiPerMinute, postsOnly: false);
            AddPerAddress(options, ValidationPolicy, limits => limits.ValidationPerMinute, postsOnly: false);
        });
        return services;
    }

    private static void AddPerAddress(RateLimiterOptions options, string policy, Func<RateLimitSettings, int> perMinute, bool postsOnly)
        => options.AddPolicy(policy, context =>
        {
            if (postsOnly && !HttpMethods.IsPost(context.Request.Method))
            {
                return RateLimitPartition.GetNoLimiter(string.Empty);
            }

            var limits = context.RequestServices.GetRequiredService<IOptions<IdpOptions>>().Value.RateLimits;
            var permits = perMinute(limits);
            return RateLimitPartition.GetFixedWindowLimiter(
                ClientAddress.PartitionKey(context.Connection.RemoteIpAddress, limits.IPv6PrefixLength),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1) });
        });
}
