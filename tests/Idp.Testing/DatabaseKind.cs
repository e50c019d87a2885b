namespace Idp.Testing;

public enum DatabaseKind
{
    Sqlite,
    Postgres,
}
