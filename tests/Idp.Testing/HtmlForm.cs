using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Idp.Testing;

/// <summary>Reads a page's form like a browser would (hidden fields, antiforgery token included) and submits it.</summary>
public static class HtmlForm
{
    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response)
        => new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>The page's error (its <c>role=alert</c> text), or a description of what came instead.</summary>
    public static async Task<string> AlertAsync(HttpResponseMessage response)
        => (await ParseAsync(response)).QuerySelector("[role=alert]")?.TextContent.Trim() ?? $"(no error shown; {(int)response.StatusCode} {response.Headers.Location})";

    /// <summary>Fields of the first form matching <paramref name="selector"/>, overridden by <paramref name="values"/>.</summary>
    public static Dictionary<string, string> Fields(IHtmlDocument page, IDictionary<string, string>? values = null, string selector = "form")
    {
        var form = page.QuerySelector(selector) as IHtmlFormElement ?? throw new InvalidOperationException($"no form '{selector}' on the page");
        var fields = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll("input[name]").OfType<IHtmlInputElement>())
        {
            fields[input.Name!] = input.Value;
        }

        foreach (var (key, value) in values ?? new Dictionary<string, string>())
        {
            fields[key] = value;
        }

        return fields;
    }

    /// <summary>GETs <paramref name="path"/>, fills its form and POSTs it to the form's action (or the same path).</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(HttpClient client, string path, IDictionary<string, string> values, string selector = "form")
    {
        var page = await ParseAsync(await client.GetAsync(path));
        var form = page.QuerySelector(selector) as IHtmlFormElement ?? throw new InvalidOperationException($"no form '{selector}' at {path}");
        var action = form.GetAttribute("action");
        return await client.PostAsync(string.IsNullOrEmpty(action) ? path : action, new FormUrlEncodedContent(Fields(page, values, selector)));
    }
}
