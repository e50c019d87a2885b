using System.Text.Json;
using System.Text.Json.Nodes;
using Idp.Hosting;
using Idp.Otp.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Idp.Tests.Hosting;

public sealed class ConfigurationTests
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>
    /// appsettings.example.json must list every option, each with the default the code uses. Some sections are read
    /// by more than one options class (Idp: IdpOptions and the user stores' UserStoreOptions).
    /// </summary>
    [Theory]
    [InlineData(IdpOptions.Section, new[] { typeof(IdpOptions), typeof(Idp.UserStores.UserStoreOptions) })]
    [InlineData(OtpOptions.Section, new[] { typeof(OtpOptions) })]
    [InlineData(DatabaseOptions.Section, new[] { typeof(DatabaseOptions) })]
    public void ExampleSettings_ListEveryOptionWithItsDefault(string section, Type[] optionsTypes)
    {
        var example = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("appsettings.example.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        var configuration = new ConfigurationBuilder().AddJsonFile(RepositoryRoot.Combine("appsettings.example.json")).Build();
        var keys = new List<string>();

        foreach (var optionsType in optionsTypes)
        {
            var bound = configuration.GetSection(section).Get(optionsType) ?? Activator.CreateInstance(optionsType)!;
            var defaults = Activator.CreateInstance(optionsType)!;
            Assert.Equal(JsonSerializer.Serialize(defaults, optionsType, Json), JsonSerializer.Serialize(bound, optionsType, Json));
            keys.AddRange(Keys(JsonSerializer.SerializeToNode(defaults, optionsType, Json)!));
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), Keys(example[section]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Start_ProductionWithoutSecretKey_FailsNamingTheKey()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, new Dictionary<string, string?> { ["Idp:Secrets:Key"] = "" }));

        Assert.Contains("Idp:Secrets:KeyFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("required outside Development", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Idp:Secrets:Key", "tooshort", "Idp:Secrets:Key: the key must be the Base64 of 32 bytes")]
    [InlineData("Idp:Secrets:KeyFile", "/nonexistent/secret.key", "Idp:Secrets:KeyFile: cannot read")]
    [InlineData("Otp:Digits", "4", "Otp:Digits must be 6, 7 or 8 (got 4).")]
    [InlineData("Idp:Lockout:Duration", "3650.00:00:00", "Idp:Lockout:Duration must be at most 30 days")]
    [InlineData("Idp:ForwardLimit", "0", "Idp:ForwardLimit must be from 1 to 10 (got 0).")]
    [InlineData("Idp:KnownProxies:0", "10.0.0.0/33", "Idp:KnownProxies must hold IP addresses or CIDR networks")]
    [InlineData("Otp:Algorithm", "MD5", "Otp:Algorithm must be SHA1, SHA256 or SHA512")]
    [InlineData("Idp:Issuer", "http://idp.example.com", "Idp:Issuer must use https")]
    [InlineData("Idp:Issuer", "not a url", "Idp:Issuer must be an absolute http(s) URL")]
    [InlineData("Idp:Theme", "nosuchtheme", "Idp:Theme: there is no folder \"nosuchtheme\"")]
    [InlineData("Idp:Password:MinLength", "4", "Idp:Password:MinLength must be from 8 to 128 (got 4).")]
    public async Task Start_BadSetting_FailsWithMessageNamingTheKey(string key, string value, string expected)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, new Dictionary<string, string?> { [key] = value }));

        Assert.True(error is IdpConfigurationException or OptionsValidationException, error.GetType().Name);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_PostgresWithoutConnectionString_FailsNamingTheKey()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Idp"] = "",
        }));

        Assert.Contains("ConnectionStrings:Idp is required when Database:Provider is Postgres", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_HttpIssuerOnLoopback_Accepted()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);

        await using var host = await IdpTestHost.StartAsync(database, new Dictionary<string, string?> { ["Idp:Issuer"] = "http://127.0.0.1:5000" });
        var discovery = System.Text.Json.JsonDocument.Parse(await host.CreateBrowser().GetStringAsync("/.well-known/openid-configuration")).RootElement;

        Assert.Equal("http://127.0.0.1:5000", discovery.GetProperty("issuer").GetString());
    }

    private static List<string> Keys(JsonNode node, string prefix = "")
    {
        var keys = new List<string>();
        if (node is JsonObject obj)
        {
            foreach (var (key, value) in obj)
            {
                keys.Add(prefix + key);
                if (value is JsonObject)
                {
                    keys.AddRange(Keys(value, prefix + key + ":"));
                }
            }
        }

        keys.Sort(StringComparer.OrdinalIgnoreCase);
        return keys;
    }
}
