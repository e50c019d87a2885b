namespace Idp.Hosting;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The <c>Database</c> section; the connection string itself is <c>ConnectionStrings:Idp</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>SQLite file used when no ConnectionStrings:Idp is given. Relative paths are from the working directory.</summary>
    public string SqlitePath { get; set; } = "data/idp.db";

    /// <summary>Apply pending schema migrations when the server starts (the `migrate` verb does it on demand).</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
