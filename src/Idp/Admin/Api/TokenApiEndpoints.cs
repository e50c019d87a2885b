using Idp.Hosting;
using Idp.Oidc.Tokens;
using Idp.Otp.Tokens;
using Idp.Tokens;
using Microsoft.Extensions.Options;

namespace Idp.Admin.Api;

/// <summary>
/// /api/admin/tokens: the hardware token pool for machine clients, the same actions as <c>Idp tokens</c> and
/// /admin/tokens (<see cref="TokenPool"/>), each audited with the client as actor. Errors as RFC 9457 problem details.
/// </summary>
internal static class TokenApiEndpoints
{
    public const string Prefix = AdminApiEndpoints.Prefix + "/tokens";

    public const string ImportPath = Prefix + "/import";

    /// <summary>A token file of <see cref="TokenFileLimits.MaxBytes"/>, Base64 in JSON, with room for the rest of the body.</summary>
    public const int MaxImportBodyBytes = TokenFileLimits.MaxBytes / 3 * 4 + 64 * 1024;

    private const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapTokenApi(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup(Prefix).DisableAntiforgery().RequireRateLimiting(RateLimitingRegistration.AdminApiPolicy);
        tokens.MapGet("", ListAsync);
        tokens.MapPost("/import", ImportAsync);
        tokens.MapPost("/export", ExportAsync);
        tokens.MapGet("/{serial}", FindAsync);
        tokens.MapDelete("/{serial}", DeleteAsync);
        tokens.MapPost("/{serial}/{action}", ActAsync);
        return app;
    }

    // skip and take arrive as text and are read here, after the caller is authenticated: bound as int? by the
    // framework, a malformed value was answered before authentication, and an empty one ("?take=") bound to null
    // under the build-time request delegates (dotnet/aspnetcore#46912) where it had been refused.
    private static Task<IResult> ListAsync(HttpContext context, string? q, string? state, string? skip, string? take, CancellationToken cancellationToken)
        => AuthenticatedAsync(context, cancellationToken, async _ =>
        {
            if (!Enum.TryParse<TokenStateFilter>(state ?? nameof(TokenStateFilter.All), ignoreCase: true, out var filter) || !Enum.IsDefined(filter))
            {
                return AdminApiEndpoints.BadRequest("state must be all, unassigned, assigned or disabled.");
            }

            if (!TryPageNumber(skip, 0, out var from) || !TryPageNumber(take, 50, out var count))
            {
                return AdminApiEndpoints.BadRequest("skip and take must be whole numbers.");
            }

            return Results.Ok(await context.RequestServices.GetRequiredService<TokenCatalog>().ListAsync(q, filter, from, count, cancellationToken));
        });

    private static bool TryPageNumber(string? value, int absent, out int number)
    {
        number = absent;
        return value is null || int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out number);
    }

    private static Task<IResult> FindAsync(HttpContext context, string serial, CancellationToken cancellationToken)
        => AuthenticatedAsync(context, cancellationToken, async _ =>
            await context.RequestServices.GetRequiredService<TokenCatalog>().FindAsync(serial, cancellationToken) is { } token
                ? Results.Ok(token)
                : AdminApiEndpoints.Problem(TokenPool.NoSuchToken(serial)));

    private static Task<IResult> ImportAsync(HttpContext context, CancellationToken cancellationToken)
        => AuthenticatedAsync(context, cancellationToken, async actor =>
        {
            var (body, problem) = await AdminApiEndpoints.ReadJsonAsync<TokenImportRequest>(context.Request, MaxImportBodyBytes, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            TokenFileFormat? format = null;
            if (body!.Format is { } name)
            {
                if (!TokenFiles.TryParseFormat(name, out var parsed))
                {
                    return AdminApiEndpoints.BadRequest("format must be pskc or oath-csv.");
                }

                format = parsed;
            }

            if (!TryHex(body.PreSharedKey, out var key, 16, 24, 32))
            {
                return AdminApiEndpoints.BadRequest("preSharedKey must be 32, 48 or 64 hex digits.");
            }

            byte[] content;
            try
            {
                content = Convert.FromBase64String(body.Content ?? string.Empty);
            }
            catch (FormatException)
            {
                return AdminApiEndpoints.BadRequest("content must be the token file in Base64.");
            }

            IReadOnlyList<TokenSeed> seeds;
            try
            {
                seeds = content.Length > TokenFileLimits.MaxBytes
                    ? throw new TokenFileException("file", $"larger than {TokenFileLimits.MaxBytes / (1024 * 1024)} MB: split it")
                    : TokenFiles.Read(content, format, new PskcDecryption(key, body.Password) { IgnoreMacMismatch = body.IgnoreMacMismatch });
            }
            catch (TokenFileException e)
            {
                return AdminApiEndpoints.BadRequest($"Nothing imported: {e.Message}");
            }

            var result = await context.RequestServices.GetRequiredService<TokenImporter>().ImportAsync(seeds, body.SkipExisting, "the admin API", actor, cancellationToken);
            return result.Problem is not null
                ? Results.Problem(statusCode: result.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest, title: $"Nothing imported: {result.Problem}")
                : Results.Ok(new { imported = result.Imported, assigned = result.Assigned, skipped = result.Skipped });
        });

    /// <summary>An inventory of tokens (serials, parameters, counters) as PSKC, without secrets.</summary>
    private static Task<IResult> ExportAsync(HttpContext context, CancellationToken cancellationToken)
        => AuthenticatedAsync(context, cancellationToken, async actor =>
        {
            var (body, problem) = await AdminApiEndpoints.ReadJsonAsync<TokenExportRequest>(context.Request, MaxBodyBytes, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            if (!string.IsNullOrEmpty(body!.PreSharedKey))
            {
                return AdminApiEndpoints.BadRequest("Secrets are not exported over the API: run 'Idp tokens export --psk-file' on the server.");
            }

            string? userId = null;
            if (body.User is { } userName)
            {
                var (user, lookupProblem) = await context.RequestServices.GetRequiredService<UserAdministration>().LookUpAsync(userName);
                if (user is null)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: lookupProblem);
                }

                userId = user.Id;
            }

            var output = new MemoryStream();
            var (_, exportProblem) = await context.RequestServices.GetRequiredService<TokenExporter>().ExportAsync(output, body.Serial?.Trim(), userId, preSharedKey: null, actor, cancellationToken);
            return exportProblem is not null
                ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"Nothing exported: {exportProblem}")
                : Results.File(output.ToArray(), "application/pskc+xml", "tokens.pskcxml");
        });

    private static Task<IResult> DeleteAsync(HttpContext context, string serial, string? reason, CancellationToken cancellationToken)
        => AuthenticatedAsync(context, cancellationToken, async actor =>
            AdminApiEndpoints.Answer(await context.RequestServices.GetRequiredService<TokenPool>().DeleteAsync(serial, reason, actor, cancellationToken)));

    /// <summary>assign, unassign, enable, disable, resync, reset-failures: the verbs of <c>Idp tokens</c>.</summary>
    private static Task<IResult> ActAsync(HttpContext context, string serial, string action, CancellationToken cancellationToken)
        => AuthenticatedAsync(context, cancellationToken, async actor =>
        {
            var (body, problem) = await AdminApiEndpoints.ReadJsonAsync<TokenActionRequest>(context.Request, MaxBodyBytes, cancellationToken);
            if (problem is not null)
            {
                return problem;
            }

            var pool = context.RequestServices.GetRequiredService<TokenPool>();
            switch (action)
            {
                case "assign":
                    var (user, lookupProblem) = await context.RequestServices.GetRequiredService<UserAdministration>().LookUpAsync(body!.User);
                    return user is null
                        ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: lookupProblem)
                        : AdminApiEndpoints.Answer(await pool.AssignAsync(serial, user, body.Reason, actor, cancellationToken));
                case "unassign":
                    return AdminApiEndpoints.Answer(await pool.UnassignAsync(serial, body!.Reason, actor, cancellationToken));
                case "enable" or "disable":
                    return AdminApiEndpoints.Answer(await pool.SetDisabledAsync(serial, action == "disable", body!.Reason, actor, cancellationToken));
                case "resync":
                    return AdminApiEndpoints.Answer(await pool.ResyncAsync(serial, body!.Code1, body.Code2, actor, cancellationToken));
                case "reset-failures":
                    return AdminApiEndpoints.Answer(await pool.ResetFailuresAsync(serial, body!.Reason, actor, cancellationToken));
                default:
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: $"No token action '{(action.Length > 32 ? action[..32] : action)}' (assign, unassign, enable, disable, resync, reset-failures).");
            }
        });

    private static async Task<IResult> AuthenticatedAsync(HttpContext context, CancellationToken cancellationToken, Func<AdminActor, Task<IResult>> action)
    {
        context.Response.Headers.CacheControl = "no-store";
        var services = context.RequestServices;
        var (actor, refusal) = await AdminApiCaller.AuthenticateAsync(context, services.GetRequiredService<AccessTokenValidator>(), services.GetRequiredService<IOptions<IdpOptions>>(), cancellationToken);
        return refusal ?? await action(actor!);
    }

    /// <summary>Null or empty is no key (true, null); otherwise hex of one of the lengths in bytes.</summary>
    private static bool TryHex(string? hex, out byte[]? key, params int[] lengths)
    {
        key = null;
        if (string.IsNullOrWhiteSpace(hex))
        {
            return true;
        }

        var text = hex.Trim();
        if (!lengths.Contains(text.Length / 2) || text.Length % 2 != 0 || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        key = Convert.FromHexString(text);
        return true;
    }
}
