using Idp.Testing;

namespace Idp.Tests.Hardening;

/// <summary>
/// The built binary refuses bad configuration and bad verbs at once, with one line on standard error and no stack
/// trace, and never repeats the value (the key may hold a secret).
/// </summary>
public sealed class StartupRefusalTests
{
    [Theory]
    [InlineData("Database__Provider", "Postgress", "Database:Provider must be one of Sqlite, Postgres.")]
    [InlineData("Otp__Digits", "abc-not-a-number", "Otp:Digits must be a whole number.")]
    [InlineData("Idp__Mail__Port", "twenty-five", "Idp:Mail:Port must be a whole number.")]
    [InlineData("Idp__Lockout__Duration", "fifteen minutes", "Idp:Lockout:Duration must be a duration such as 00:15:00 (hh:mm:ss) or 1.00:00:00 (one day).")]
    public async Task Server_WrongTypedValue_OneLineNamingTheKey_ValueNotEchoed(string key, string value, string expected)
    {
        var run = await RunAsync([], new Dictionary<string, string> { [key] = value });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"Idp cannot start: {expected}", run.StandardError.Trim());
        Assert.DoesNotContain(value, run.StandardError + run.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_WrongTypedValue_OneLineNamingTheKey()
    {
        var run = await RunAsync(["users", "list"], new Dictionary<string, string> { ["Otp__Digits"] = "abc" });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: configuration: Otp:Digits must be a whole number.", run.StandardError.Trim());
    }

    [Fact]
    public async Task Server_DatabaseUnderAnotherSecretKey_OneLineNamingPreviousKeyFiles_NoStackTrace()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using (await IdpTestHost.StartAsync(database))
        {
        }

        var run = await RunAsync([], new Dictionary<string, string>
        {
            ["ConnectionStrings__Idp"] = database.ConnectionString,
            ["Idp__Secrets__Key"] = Idp.Secrets.SecretKey.Generate().ToBase64(),
        });

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.StandardError.Trim().Split('\n'));
        Assert.StartsWith("Idp cannot start: the database's secrets were encrypted under secret key", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Idp:Secrets:PreviousKeyFiles", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownVerb_Exit2AtOnce()
    {
        var started = DateTime.UtcNow;
        var run = await RunAsync(["tokns", "list"], []);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: unknown verb 'tokns'; the verbs are: users, devices", run.StandardError.Trim(), StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30), "it waited like a server");
    }

    private static Task<ExternalTool.Result> RunAsync(string[] arguments, Dictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Idp__Issuer"] = "https://idp.test",
            ["Idp__Secrets__Key"] = TestSecrets.Key,
            ["Database__SqlitePath"] = Path.Combine(Path.GetTempPath(), $"idp-{Guid.NewGuid():N}.db"),
            ["Urls"] = "http://127.0.0.1:0",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return ExternalTool.RunAsync("dotnet", [IdpDll, .. arguments], environment: environment, timeout: TimeSpan.FromSeconds(60));
    }

    private static string IdpDll
        => RepositoryRoot.Combine("src", "Idp", "bin", new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "Idp.dll");
}
