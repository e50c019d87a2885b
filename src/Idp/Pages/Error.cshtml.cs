using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Idp.Pages;

/// <summary>
/// The only page an unexpected failure reaches: a generic message and a correlation id that matches the log line,
/// never an exception, a stack trace or a secret.
/// </summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";

    public string Explanation { get; private set; } = "The server could not complete your request.";

    public string CorrelationId { get; private set; } = string.Empty;

    public bool ShowCorrelationId { get; private set; }

    // From the route only: re-executed after a failed form post, a form field named "code" (the OTP code) must not become the status.
    public void OnGet([FromRoute] int? code) => Describe(code);

    public void OnPost([FromRoute] int? code) => Describe(code);

    private void Describe(int? code)
    {
        CorrelationId = HttpContext.TraceIdentifier;

        (Title, Explanation, ShowCorrelationId) = code switch
        {
            404 => ("Page not found", "There is nothing at this address.", false),
            400 => ("Bad request", "The request could not be understood. If you used a form, go back, reload the page and try again.", false),
            403 => ("Not allowed", "You do not have access to this page.", false),
            405 => ("Not allowed", "This address does not accept that kind of request.", false),
            413 => ("Too large", "The request is larger than this server accepts.", false),
            429 => ("Too many attempts", "Too many attempts from your network. Wait a minute and try again.", false),
            503 => ("Temporarily unavailable", "The service cannot complete requests just now. Try again in a few seconds.", true),
            null or >= 500 => ("Something went wrong", "The server could not complete your request.", true),
            _ => ("Request failed", "The request could not be completed.", false),
        };
        if (code is not null)
        {
            Response.StatusCode = code.Value;
        }
    }
}
