using System.Text.Json;
using Idp.Hosting;
using Idp.Oidc.Tokens;
using Microsoft.Extensions.Options;

namespace Idp.Admin.Api;

/// <summary>
/// /api/admin: a user's second-factor devices (list, add one from its key, remove one or all) and their second-factor
/// lock, for machine clients (<see cref="AdminApiCaller"/>). JSON in and out; errors as RFC 9457 problem details.
/// Described at <see cref="OpenApiPath"/>.
/// </summary>
internal static class AdminApiEndpoints
{
    public const string Prefix = "/api/admin";
    public const string OpenApiPath = Prefix + "/openapi.json";
    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(OpenApiPath, (IEnumerable<Idp.SecondFactors.ISecondFactorKeys> keys) => Results.Text(AdminApiDescription.Json([.. keys.Select(k => k.Type)]), "application/json"))
            .RequireRateLimiting(Hosting.RateLimitingRegistration.AdminApiPolicy);
        var users = app.MapGroup(Prefix + "/users/{username}").DisableAntiforgery().RequireRateLimiting(Hosting.RateLimitingRegistration.AdminApiPolicy);
        users.MapGet("/devices", ListAsync);
        users.MapPost("/devices", AddAsync);
        users.MapDelete("/devices/{device}", RemoveAsync);
        users.MapDelete("/devices", RemoveAllAsync);
        users.MapDelete("/otp-lock", ClearOtpLockAsync);
        return app;
    }

    private static Task<IResult> ListAsync(HttpContext context, string username, CancellationToken cancellationToken)
        => WithUserAsync(context, username, cancellationToken, async (admin, _, user) => Results.Ok(await admin.DevicesAsync(user, cancellationToken)));

    private static Task<IResult> AddAsync(HttpContext context, string username, CancellationToken cancellationToken)
        => WithUserAsync(context, username, cancellationToken, async (admin, actor, user) =>
        {
            var (body, problem) = await ReadJsonAsync<NewDeviceRequest>(context.Request, MaxBodyBytes, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            var outcome = await admin.AddKeyAsync(user, body!.Type, body.Name, body.Secret, body.Reason, actor, cancellationToken);
            if (!outcome.Succeeded)
            {
                return Problem(outcome);
            }

            var device = (await admin.DevicesAsync(user, cancellationToken)).First(d => d.Id == outcome.Message);
            return Results.Created($"{Prefix}/users/{Uri.EscapeDataString(user.UserName!)}/devices/{device.Id}", device);
        });

    private static Task<IResult> RemoveAsync(HttpContext context, string username, string device, string? reason, CancellationToken cancellationToken)
        => WithUserAsync(context, username, cancellationToken, async (admin, actor, user) => Answer(await admin.RemoveDeviceAsync(user, device, reason, actor, cancellationToken)));

    private static Task<IResult> RemoveAllAsync(HttpContext context, string username, string? reason, CancellationToken cancellationToken)
        => WithUserAsync(context, username, cancellationToken, async (admin, actor, user) => Answer(await admin.RemoveAllDevicesAsync(user, reason, actor, cancellationToken)));

    private static Task<IResult> ClearOtpLockAsync(HttpContext context, string username, string? reason, CancellationToken cancellationToken)
        => WithUserAsync(context, username, cancellationToken, async (admin, actor, user) => Answer(await admin.ClearOtpLockAsync(user, reason, actor, cancellationToken)));

    private static async Task<IResult> WithUserAsync(HttpContext context, string username, CancellationToken cancellationToken, Func<UserAdministration, AdminActor, Persistence.Entities.IdpUser, Task<IResult>> action)
    {
        context.Response.Headers.CacheControl = "no-store";
        var services = context.RequestServices;
        var (actor, refusal) = await AdminApiCaller.AuthenticateAsync(context, services.GetRequiredService<AccessTokenValidator>(), services.GetRequiredService<IOptions<IdpOptions>>(), cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var admin = services.GetRequiredService<UserAdministration>();
        // The same lookup as /admin and the command line: username, then an address only one account has, then id.
        var (user, problem) = await admin.LookUpAsync(username);
        return user is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: problem)
            : await action(admin, actor!, user);
    }

    /// <summary>A JSON body of at most <paramref name="maxBytes"/>, whatever it claims (chunked bodies have no length).</summary>
    internal static async Task<(T? Body, IResult? Problem)> ReadJsonAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, BadRequest("Send a JSON body (Content-Type: application/json)."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, BadRequest($"The body is larger than {maxBytes} bytes."));
        }

        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return (null, BadRequest($"The body is larger than {maxBytes} bytes."));
                }

                buffer.Write(chunk, 0, read);
            }

            var body = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), JsonSerializerOptions.Web);
            return body is null ? (null, BadRequest("The body must be a JSON object.")) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"The body is not valid JSON: {e.Message}"));
        }
    }

    internal static IResult Answer(AdminOutcome outcome) => outcome.Succeeded ? Results.Ok(new { message = outcome.Message }) : Problem(outcome);

    internal static IResult Problem(AdminOutcome outcome) => outcome.Kind switch
    {
        AdminOutcomeKind.UserNotFound or AdminOutcomeKind.DeviceNotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: outcome.Message),
        AdminOutcomeKind.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: outcome.Message),
        _ => BadRequest(outcome.Message),
    };

    internal static IResult BadRequest(string message) => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: message);
}
