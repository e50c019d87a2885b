using System.Net;

namespace Idp.Testing;

/// <summary>Gives an HttpClient over TestServer a browser's cookie jar; redirects are not followed, so tests see them.</summary>
public sealed class CookieHandler(HttpMessageHandler inner, CookieContainer? cookies = null) : DelegatingHandler(inner)
{
    public CookieContainer Cookies { get; } = cookies ?? new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var header = Cookies.GetCookieHeader(uri);
        if (!string.IsNullOrEmpty(header))
        {
            request.Headers.Remove("Cookie");
            request.Headers.Add("Cookie", header);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var value in values)
            {
                Cookies.SetCookies(uri, value);
            }
        }

        return response;
    }
}
