using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Idp.Sample;

/// <summary>The sample's two pages, as plain HTML with every value encoded.</summary>
internal static class SamplePages
{
    public static string Home(ClaimsPrincipal user, AntiforgeryTokenSet tokens)
    {
        var body = new StringBuilder();
        if (user.Identity?.IsAuthenticated != true)
        {
            body.Append("<h1>Sample application</h1><p>You are not signed in.</p><p><a href=\"/signin\">Sign in with Idp</a></p>");
            return Page(body.ToString());
        }

        body.Append("<h1>Signed in</h1><table><caption>Your claims</caption><thead><tr><th scope=\"col\">Claim</th><th scope=\"col\">Value</th></tr></thead><tbody>");
        foreach (var claim in user.Claims)
        {
            body.Append("<tr><td>").Append(Encode(claim.Type)).Append("</td><td data-claim=\"").Append(Encode(claim.Type)).Append("\">").Append(Encode(claim.Value)).Append("</td></tr>");
        }

        body.Append("</tbody></table><p><a href=\"/call-api\">Call the API with the access token</a></p>")
            .Append("<form method=\"post\" action=\"/signout\"><input type=\"hidden\" name=\"").Append(Encode(tokens.FormFieldName)).Append("\" value=\"")
            .Append(Encode(tokens.RequestToken ?? string.Empty)).Append("\"><button type=\"submit\">Sign out</button></form>");
        return Page(body.ToString());
    }

    public static string ApiAnswer(int status, string json)
        => Page($"<h1>The API answered {status}</h1><pre id=\"api-answer\">{Encode(json)}</pre><p><a href=\"/\">Back</a></p>");

    private static string Page(string body)
        => $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Idp sample</title></head><body><main>{body}</main></body></html>";

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
