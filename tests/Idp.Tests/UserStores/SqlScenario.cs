using Idp.Persistence.Entities;
using Idp.UserStores;

namespace Idp.Tests.UserStores;

/// <summary>
/// A node whose default realm "shop" asks the SQL store "shop" (another application's table, <see cref="SqlPeople"/>)
/// first and the built-in store "local" second; both databases are of the same kind.
/// </summary>
internal sealed class SqlScenario : IAsyncDisposable
{
    public const string Password = "the shop's own password";

    private SqlScenario(Scenario scenario, SqlPeople people)
    {
        Scenario = scenario;
        People = people;
    }

    public Scenario Scenario { get; }

    public SqlPeople People { get; }

    public IdpTestHost Host => Scenario.Host;

    public static Dictionary<string, string?> Settings(SqlPeople people, string hashFormat = "Bcrypt") => Settings(people.Kind, people.ConnectionString, hashFormat);

    public static Dictionary<string, string?> Settings(DatabaseKind kind, string connectionString, string hashFormat = "Bcrypt") => new()
    {
        ["Idp:Stores:0:Name"] = "shop",
        ["Idp:Stores:0:Type"] = "Sql",
        ["Idp:Stores:0:Sql:Provider"] = kind == DatabaseKind.Postgres ? "Postgres" : "Sqlite",
        ["Idp:Stores:0:Sql:ConnectionString"] = connectionString,
        ["Idp:Stores:0:Sql:Table"] = "user",
        ["Idp:Stores:0:Sql:LoginColumns:0"] = "username",
        ["Idp:Stores:0:Sql:LoginColumns:1"] = "email",
        ["Idp:Stores:0:Sql:HashFormat"] = hashFormat,
        ["Idp:Stores:0:Sql:NameColumn"] = "full_name",
        ["Idp:Stores:0:Sql:EmailColumn"] = "email",
        ["Idp:Stores:0:Sql:GroupsColumn"] = "groups",
        ["Idp:Stores:0:Sql:EnabledColumn"] = "active",
        ["Idp:Stores:1:Name"] = "local",
        ["Idp:Stores:1:Type"] = "BuiltIn",
        ["Idp:Realms:0:Name"] = "shop",
        ["Idp:Realms:0:Stores:0"] = "shop",
        ["Idp:Realms:0:Stores:1"] = "local",
        ["Idp:DefaultRealm"] = "shop",
    };

    public static async Task<SqlScenario> StartAsync(DatabaseKind kind, IDictionary<string, string?>? more = null, string hashFormat = "Bcrypt")
    {
        var people = await SqlPeople.CreateAsync(kind);
        var settings = Settings(people, hashFormat);
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new SqlScenario(await Scenario.StartAsync(kind, settings), people);
    }

    /// <summary>A bcrypt hash written by Apache's htpasswd, not by Idp's library (cost 5: the format, not the cost, is tested).</summary>
    public static async Task<string> BcryptAsync(string password)
    {
        var result = await ExternalTool.RunAsync("htpasswd", ["-nbBC", "5", "someone", password]);
        Assert.True(result.ExitCode == 0, $"htpasswd failed (apache2-utils; ./test.sh installs it): {result.StandardError}");
        return result.StandardOutput.Trim().Split(':', 2)[1];
    }

    /// <summary>Adds a person whose password is <see cref="Password"/>, hashed by htpasswd.</summary>
    public async Task<long> AddPersonAsync(string login, string? name = null, string? groups = null)
        => await People.AddAsync(login, await BcryptAsync(Password), name, groups: groups);

    public async Task<IdpUser?> ResolveAsync(string login)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<AccountResolver>().ResolveAsync(login, null, CancellationToken.None)).User;
    }

    public async ValueTask DisposeAsync()
    {
        await Scenario.DisposeAsync();
        await People.DisposeAsync();
    }
}
