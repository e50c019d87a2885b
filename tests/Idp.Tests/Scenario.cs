using System.Net;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests;

/// <summary>A fresh database and app for one test, with the steps most tests start from.</summary>
internal sealed class Scenario : IAsyncDisposable
{
    public const string AdminName = "admin";
    public const string AdminPassword = "correct horse battery";

    private Scenario(TestDatabase database, IdpTestHost host)
    {
        Database = database;
        Host = host;
    }

    public TestDatabase Database { get; }

    public IdpTestHost Host { get; }

    public static async Task<Scenario> StartAsync(DatabaseKind kind, IDictionary<string, string?>? settings = null, string environment = "Production", Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync(kind);
        return new Scenario(database, await IdpTestHost.StartAsync(database, settings, environment, services: services));
    }

    /// <summary>The app on a database that already holds data (a restored one); the scenario owns it from now on.</summary>
    public static async Task<Scenario> StartOnAsync(TestDatabase database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
        => new(database, await IdpTestHost.StartAsync(database, settings, services: services));

    /// <summary>Relative path and query of the setup link the server printed.</summary>
    public string SetupPath => Host.SetupLinks.Links.Single().PathAndQuery;

    public async Task CreateAdminThroughSetupAsync(HttpClient browser)
    {
        var response = await HtmlForm.SubmitAsync(browser, SetupPath, new Dictionary<string, string>
        {
            ["UserName"] = AdminName,
            ["Password"] = AdminPassword,
            ["ConfirmPassword"] = AdminPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public Task<HttpResponseMessage> SignInAsync(HttpClient browser, string login, string password, string? returnUrl = null)
        => HtmlForm.SubmitAsync(browser, returnUrl is null ? "/account/login" : $"/account/login?ReturnUrl={Uri.EscapeDataString(returnUrl)}", new Dictionary<string, string>
        {
            ["Login"] = login,
            ["Password"] = password,
        });

    public async Task<IdpUser> CreateUserAsync(string userName, string password, string? email = null)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var user = new IdpUser { UserName = userName, Email = email, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
