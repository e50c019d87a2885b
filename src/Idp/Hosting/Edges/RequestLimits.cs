using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Idp.Hosting;

/// <summary>
/// Bounds on what a request can make a node read (<see cref="RequestLimitSettings"/>): the body size, enforced from
/// Content-Length before anything is read and by Kestrel while streaming, and the form's field count and length.
/// Going over is the client's error, answered 413 or 400, never a 500.
/// </summary>
internal static class RequestLimits
{
    public static IServiceCollection AddIdpRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<FormOptions>().Configure<IOptions<IdpOptions>>((form, idp) =>
        {
            var limits = idp.Value.Limits;
            form.ValueCountLimit = limits.MaxFormFields;
            form.ValueLengthLimit = limits.MaxFieldLength;
            form.KeyLengthLimit = 256;
            form.MultipartBodyLengthLimit = limits.MaxBodyBytes;
            form.BufferBodyLengthLimit = limits.MaxBodyBytes;
        });
        return services;
    }

    public static IApplicationBuilder UseIdpRequestLimits(this IApplicationBuilder app)
        => app.Use(async (context, next) =>
        {
            var max = TokenUpload(context.Request) ?? context.RequestServices.GetRequiredService<IOptions<IdpOptions>>().Value.Limits.MaxBodyBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = max;
            }

            if (context.Request.ContentLength > max)
            {
                Refuse(context, StatusCodes.Status413PayloadTooLarge);
                return;
            }

            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted && TooMuch(ex) is { } status)
            {
                // Form limits throw InvalidDataException, Kestrel's body limit BadHttpRequestException (413).
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RequestLimits))
                    .LogInformation("Request refused with {Status}: {Reason}", status, ex.GetBaseException().Message);
                Refuse(context, status);
            }
        });

    /// <summary>
    /// A token file (PSKC, OATH CSV) posted to the pool's two import endpoints may be up to 10 MB: the only bodies
    /// above Idp:Limits:MaxBodyBytes, and only there. Both refuse anyone but an administrator before reading it (the
    /// API authenticates its client first; the page has <see cref="Pages.Admin.AdministratorsOnlyAttribute"/>).
    /// </summary>
    private static long? TokenUpload(HttpRequest request)
        => !HttpMethods.IsPost(request.Method) ? null
            : request.Path.Equals(Admin.Api.TokenApiEndpoints.ImportPath, StringComparison.OrdinalIgnoreCase) ? Admin.Api.TokenApiEndpoints.MaxImportBodyBytes
            : request.Path.Equals(Pages.Admin.TokensModel.Path, StringComparison.OrdinalIgnoreCase) ? Pages.Admin.TokensModel.MaxUploadBodyBytes
            : null;

    /// <summary>
    /// The status, and a request with no body left: the error page re-executed for it (a POST like the original)
    /// must not read the refused body again.
    /// </summary>
    private static void Refuse(HttpContext context, int status)
    {
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Request.Body = Stream.Null;
        context.Request.ContentLength = 0;
        context.Request.ContentType = null;
    }

    private static int? TooMuch(Exception ex) => ex switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        InvalidDataException => StatusCodes.Status400BadRequest,
        _ when ex.InnerException is { } inner => TooMuch(inner),
        _ => null,
    };
}
