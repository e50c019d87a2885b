using System.Text.RegularExpressions;

namespace Idp.UserStores.Sql;

/// <summary>
/// Table and column names from the configuration, the only text a SQL store puts into a statement (values are always
/// parameters). A name is a letter or '_', then letters, digits or '_', optionally <c>schema.name</c>: nothing that
/// could close a quote or start another statement.
/// </summary>
internal static partial class SqlIdentifier
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Each part double-quoted (SQL standard; PostgreSQL and SQLite alike), so reserved words such as <c>user</c> work.</summary>
    public static string Quote(string name) => string.Join('.', name.Split('.').Select(part => $"\"{part}\""));

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?\\z")]
    private static partial Regex Pattern();
}
