using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Idp.Tests.Oidc;

/// <summary>A relying party's view of Idp: authorization requests through a browser, token requests from a back end.</summary>
internal sealed class OidcScenario : IAsyncDisposable
{
    public const string Password = TestUsers.Password;

    private OidcScenario(Scenario inner)
    {
        Inner = inner;
    }

    public Scenario Inner { get; }

    public IdpTestHost Host => Inner.Host;

    public static async Task<OidcScenario> StartAsync(DatabaseKind kind, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = OidcClients.Settings();
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var scenario = new OidcScenario(await Scenario.StartAsync(kind, settings, services: services));
        await scenario.Inner.CreateUserAsync("alice", Password, "alice@example.com");
        await scenario.Inner.CreateUserAsync("bob", Password, "bob@example.com");
        return scenario;
    }

    /// <summary>The clients' configuration on a database that already holds its users (a restored one, or another node's).</summary>
    public static async Task<OidcScenario> StartOnAsync(TestDatabase database, IDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = OidcClients.Settings();
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new OidcScenario(await Scenario.StartOnAsync(database, settings, services));
    }

    public static string AuthorizeUrl(IDictionary<string, string?> parameters) => QueryHelpers.AddQueryString("/connect/authorize", parameters);

    public static Dictionary<string, string?> CodeRequest(string clientId = OidcClients.WebApp, string redirectUri = OidcClients.WebAppRedirect, string scope = "openid profile email", Pkce? pkce = null, string? state = "st-1", string? nonce = "n-1")
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
        };
        if (state is not null)
        {
            parameters["state"] = state;
        }

        if (nonce is not null)
        {
            parameters["nonce"] = nonce;
        }

        if (pkce is not null)
        {
            parameters["code_challenge"] = pkce.Challenge;
            parameters["code_challenge_method"] = "S256";
        }

        return parameters;
    }

    /// <summary>Follows redirects inside Idp (signing in when the login page comes) until the browser is sent to another host.</summary>
    public async Task<HttpResponseMessage> BrowseAsync(HttpClient browser, string path, string? userName = "alice")
    {
        var response = await browser.GetAsync(path);
        for (var hops = 0; hops < 10; hops++)
        {

            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                return response;
            }

            var location = response.Headers.Location!;
            var absolute = location.IsAbsoluteUri ? location : new Uri(new Uri(IdpTestHost.BaseUrl), location);
            if (absolute.Host != new Uri(IdpTestHost.BaseUrl).Host)
            {
                return response;
            }

            if (absolute.AbsolutePath == "/account/login" && userName is not null)
            {
                response = await HtmlForm.SubmitAsync(browser, absolute.PathAndQuery, new Dictionary<string, string> { ["Login"] = userName, ["Password"] = Password });
                userName = null;
                continue;
            }

            response = await browser.GetAsync(absolute.PathAndQuery);
        }

        throw new InvalidOperationException("too many redirects");
    }

    /// <summary>Runs the front channel to the end and returns the parameters the client receives at its redirect URI.</summary>
    public async Task<Dictionary<string, string>> AuthorizeAsync(HttpClient browser, IDictionary<string, string?> parameters, string? userName = "alice")
    {
        var response = await BrowseAsync(browser, AuthorizeUrl(parameters), userName);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect to the client, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return CallbackParameters(response.Headers.Location!);
    }

    public static Dictionary<string, string> CallbackParameters(Uri location)
        => QueryHelpers.ParseQuery(location.Query).ToDictionary(p => p.Key, p => p.Value.ToString());

    public Task<HttpResponseMessage> TokenAsync(IDictionary<string, string> form, (string Id, string Secret)? basic = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        if (basic is { } credentials)
        {
            request.Headers.Authorization = Basic(credentials.Id, credentials.Secret);
        }

        return Host.CreateBrowser().SendAsync(request);
    }

    public Task<HttpResponseMessage> RedeemAsync(string code, Pkce? pkce = null, string clientId = OidcClients.WebApp, string secret = OidcClients.WebAppSecret, string redirectUri = OidcClients.WebAppRedirect)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri };
        if (pkce is not null)
        {
            form["code_verifier"] = pkce.Verifier;
        }

        return TokenAsync(form, (clientId, secret));
    }

    /// <summary>RFC 6749 §6: the web app refreshes, optionally narrowing the scope.</summary>
    public Task<HttpResponseMessage> RefreshAsync(string refreshToken, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        return TokenAsync(form, (OidcClients.WebApp, OidcClients.WebAppSecret));
    }

    /// <summary>RFC 6749 §2.3.1: form-url-encode id and secret, then Basic.</summary>
    public static AuthenticationHeaderValue Basic(string id, string secret)
        => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Signs alice in through the code flow and returns the token response.</summary>
    public async Task<JsonElement> SignInAndRedeemAsync(HttpClient browser, string scope = "openid profile email offline_access", string? nonce = "n-1")
    {
        var pkce = Pkce.Create();
        var callback = await AuthorizeAsync(browser, CodeRequest(scope: scope, pkce: pkce, nonce: nonce));
        var response = await RedeemAsync(callback["code"], pkce);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await JsonAsync(response);
    }

    public ValueTask DisposeAsync() => Inner.DisposeAsync();
}
