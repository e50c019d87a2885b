namespace Idp.Tests.Cli;

/// <summary>The verbs work from the built binary (<c>dotnet Idp.dll users add …</c>), configured by environment variables.</summary>
public sealed class PublishedBinaryTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Binary_UsersAddThenList_UsesEnvironmentConfiguration(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateEmptyAsync(kind);
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = database.Provider.ToString(),
            ["ConnectionStrings__Idp"] = database.ConnectionString,
            ["Idp__Issuer"] = "https://idp.test",
            ["Idp__Secrets__Key"] = TestSecrets.Key,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };

        var add = await ExternalTool.RunAsync("dotnet", [IdpDll, "users", "add", "zoe", "--password-stdin"], standardInput: "a long enough password\n", environment: environment);
        var list = await ExternalTool.RunAsync("dotnet", [IdpDll, "users", "list"], environment: environment);
        var bad = await ExternalTool.RunAsync("dotnet", [IdpDll, "users", "delete", "nobody"], environment: environment);

        Assert.True(add.ExitCode == 0, add.StandardError);
        Assert.Contains("zoe", list.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Equal("error: no user 'nobody'", bad.StandardError.Trim());
    }

    [Fact]
    public async Task Binary_ProductionWithoutKey_RefusesToStartWithOneLine()
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Idp__Issuer"] = "https://idp.test",
            ["Database__SqlitePath"] = Path.Combine(Path.GetTempPath(), $"idp-{Guid.NewGuid():N}.db"),
            ["Urls"] = "http://127.0.0.1:0",
        };

        var run = await ExternalTool.RunAsync("dotnet", [IdpDll], environment: environment, timeout: TimeSpan.FromSeconds(60));

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("Idp cannot start: Idp:Secrets:KeyFile", run.StandardError.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.StandardError + run.StandardOutput, StringComparison.Ordinal);
    }

    private static string IdpDll
    {
        get
        {
            // Same configuration (Debug/Release) as this test assembly; the test build builds src/Idp first.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
            return RepositoryRoot.Combine("src", "Idp", "bin", configuration, "net10.0", "Idp.dll");
        }
    }
}
