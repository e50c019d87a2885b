using Idp.Audit;
using Idp.Hosting;

namespace Idp.Validation;

/// <summary>
/// The check API of LinOTP and privacyIDEA, so their FreeRADIUS (rlm_perl, rlm_rest), PAM and credential-provider
/// clients work against Idp unchanged: <c>/validate/check</c> (JSON), <c>/validate/radiuscheck</c> (204 or 400)
/// and <c>/validate/simplecheck</c> (<c>:-)</c> or <c>:-(</c>). POST only: a GET would put passwords in URLs and
/// logs. Mapped only when <c>Idp:Validation:Clients</c> lists a client.
/// </summary>
internal static class ValidationEndpoints
{
    /// <summary>Every validation endpoint is under it.</summary>
    public const string Prefix = "/validate";

    public const string Check = "/validate/check";
    public const string RadiusCheck = "/validate/radiuscheck";
    public const string SimpleCheck = "/validate/simplecheck";

    public static IEndpointRouteBuilder MapValidation(this IEndpointRouteBuilder app)
    {
        if (!app.ServiceProvider.GetRequiredService<ValidationClients>().Enabled)
        {
            return app;
        }

        app.MapPost(Check, (HttpContext context, CancellationToken ct) => HandleAsync(context, answer => Results.Json(ValidationResponses.Body(answer)), ct))
            .DisableAntiforgery().RequireRateLimiting(RateLimitingRegistration.ValidationPolicy);
        app.MapPost(RadiusCheck, (HttpContext context, CancellationToken ct) => HandleAsync(context, answer => answer.Authentication == ValidationAuthentication.Accept ? Results.NoContent() : Results.Text(answer.Message, statusCode: 400), ct))
            .DisableAntiforgery().RequireRateLimiting(RateLimitingRegistration.ValidationPolicy);
        app.MapPost(SimpleCheck, (HttpContext context, CancellationToken ct) => HandleAsync(context, answer => Results.Text(answer.Authentication == ValidationAuthentication.Accept ? ":-)" : ":-("), ct))
            .DisableAntiforgery().RequireRateLimiting(RateLimitingRegistration.ValidationPolicy);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, Func<ValidationAnswer, IResult> write, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        var services = context.RequestServices;
        var address = context.Connection.RemoteIpAddress;
        var client = services.GetRequiredService<ValidationClients>().Find(address, context.Request.Headers[ValidationClients.SecretHeader].FirstOrDefault());
        if (client is null)
        {
            await services.GetRequiredService<AuditLog>().WriteAsync(AuditEventTypes.ValidationClientRefused, $"{ValidationChannel.Validate}:unknown", details: $"from {address}: not a configured validation client, or a wrong secret", cancellationToken: cancellationToken);
            return ValidationResponses.Error(StatusCodes.Status403Forbidden, "This address is not allowed to ask.");
        }

        if (!context.Request.HasFormContentType)
        {
            return ValidationResponses.Error(StatusCodes.Status400BadRequest, "Send the parameters as an application/x-www-form-urlencoded POST.");
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        string? One(string name) => form[name].Count == 1 ? form[name].ToString() : null;
        if (form.Keys.FirstOrDefault(k => form[k].Count > 1) is { } duplicate)
        {
            return ValidationResponses.Error(StatusCodes.Status400BadRequest, $"The parameter {duplicate} appears more than once.");
        }

        var request = new ValidationRequest(One("user"), One("realm"), One("pass"), NullIfEmpty(One("transaction_id") ?? One("state")), ValidationChannel.Validate, client.Name, client.Policy, client.Passthru, client.PassthruAssign);
        var answer = await services.GetRequiredService<SecondFactorValidation>().CheckAsync(request, cancellationToken);
        return write(answer);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
