namespace Idp.Tests;

/// <summary>Theory data: every integration test runs on both providers.</summary>
public static class Databases
{
    public static TheoryData<DatabaseKind> Both => new(DatabaseKind.Sqlite, DatabaseKind.Postgres);
}
