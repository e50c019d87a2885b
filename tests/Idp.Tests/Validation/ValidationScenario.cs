using System.Net;
using System.Text.Json;
using Idp.Tests.SecondFactor;

namespace Idp.Tests.Validation;

/// <summary>
/// A node with validation clients: "vpn" (10.1.0.0/16, userstore), "portal" (10.2.0.0/16, challenge), "pam"
/// (10.3.0.0/16, code only, with a secret) and "legacy" (10.4.0.0/16, userstore with passthru); and alice, with a
/// TOTP device of the test seed.
/// </summary>
internal sealed class ValidationScenario : IAsyncDisposable
{
    public const string PamSecret = "a pam host's own secret";

    public static readonly IPAddress Vpn = IPAddress.Parse("10.1.0.5");
    public static readonly IPAddress Portal = IPAddress.Parse("10.2.0.5");
    public static readonly IPAddress Pam = IPAddress.Parse("10.3.0.5");
    public static readonly IPAddress Legacy = IPAddress.Parse("10.4.0.5");
    public static readonly IPAddress Stranger = IPAddress.Parse("192.0.2.66");

    private ValidationScenario(Scenario scenario) => Scenario = scenario;

    public Scenario Scenario { get; }

    public IdpTestHost Host => Scenario.Host;

    public static Dictionary<string, string?> Settings(IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Idp:Validation:Clients:0:Name"] = "vpn",
            ["Idp:Validation:Clients:0:Networks:0"] = "10.1.0.0/16",
            ["Idp:Validation:Clients:1:Name"] = "portal",
            ["Idp:Validation:Clients:1:Networks:0"] = "10.2.0.0/16",
            ["Idp:Validation:Clients:1:PassPolicy"] = "challenge",
            ["Idp:Validation:Clients:2:Name"] = "pam",
            ["Idp:Validation:Clients:2:Networks:0"] = "10.3.0.0/16",
            ["Idp:Validation:Clients:2:PassPolicy"] = "none",
            ["Idp:Validation:Clients:2:Secret"] = PamSecret,
            ["Idp:Validation:Clients:3:Name"] = "legacy",
            ["Idp:Validation:Clients:3:Networks:0"] = "10.4.0.0/16",
            ["Idp:Validation:Clients:3:Passthru"] = "true",
            ["Idp:Validation:Realms:0"] = "corp",
            ["Idp:RateLimits:ValidationPerMinute"] = "100000",
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<ValidationScenario> StartAsync(DatabaseKind kind, IDictionary<string, string?>? more = null)
    {
        var scenario = new ValidationScenario(await Scenario.StartAsync(kind, Settings(more)));
        await scenario.Scenario.CreateUserAsync("alice", TestUsers.Password);
        await SecondFactorScenario.GiveDeviceAsync(scenario.Host, "alice");
        return scenario;
    }

    public string Code(int stepOffset = 0) => SecondFactorScenario.CodeAt(Host, stepOffset: stepOffset);

    public HttpClient From(IPAddress address) => Host.CreateBrowser(out _, address);

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, params (string Name, string Value)[] form)
        => client.PostAsync(path, new FormUrlEncodedContent(form.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))));

    /// <summary>/validate/check, and its JSON.</summary>
    public static async Task<JsonElement> CheckAsync(HttpClient client, params (string Name, string Value)[] form)
    {
        var response = await PostAsync(client, "/validate/check", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }

    public static string Authentication(JsonElement body) => body.GetProperty("result").GetProperty("authentication").GetString()!;

    public static string Message(JsonElement body) => body.GetProperty("detail").GetProperty("message").GetString()!;

    public ValueTask DisposeAsync() => Scenario.DisposeAsync();
}
