using Idp.Hosting;

namespace Idp.UserStores.Sql;

/// <summary>
/// <c>Idp:Stores:N:Sql</c>: a table of people in another database, read-only. Table and column names are quoted as
/// written (so they are case-sensitive on PostgreSQL) and may be <c>schema.name</c>; logins are matched without regard
/// to case, like LDAP's <c>uid</c> and Idp's own user names.
/// </summary>
public sealed class SqlStoreSettings
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Postgres;

    /// <summary>
    /// Where the table is. Idp opens it read-only whatever it says: SQLite in <c>Mode=ReadOnly</c> (a missing file is an
    /// error, never created), PostgreSQL with <c>default_transaction_read_only</c>.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    public string Table { get; set; } = string.Empty;

    /// <summary>The row's immutable key, which links the person to their Idp record across a change of login.</summary>
    public string IdColumn { get; set; } = "id";

    /// <summary>Columns a typed login is matched against, any of them; the first is the login Idp shows. Empty: <c>username</c>.</summary>
    public List<string> LoginColumns { get; set; } = [];

    public IReadOnlyList<string> EffectiveLoginColumns() => LoginColumns.Count > 0 ? LoginColumns : ["username"];

    public string PasswordColumn { get; set; } = "password_hash";

    /// <summary>How <see cref="PasswordColumn"/> is written; required, as guessing it would accept weaker hashes than meant.</summary>
    public SqlHashFormat? HashFormat { get; set; }

    public string? NameColumn { get; set; }

    public string? EmailColumn { get; set; }

    /// <summary>A column of group names separated by commas, for roles through <see cref="GroupRoles"/>.</summary>
    public string? GroupsColumn { get; set; }

    /// <summary>A boolean (or 0/1) column: a row where it is false cannot sign in, from the next request on.</summary>
    public string? EnabledColumn { get; set; }

    /// <summary>Idp roles given by group names; kept in step at each sign-in, like an LDAP store's.</summary>
    public List<GroupRoleSettings> GroupRoles { get; set; } = [];

    /// <summary>Per statement, and for opening a PostgreSQL connection.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);
}
