namespace Idp.Testing;

/// <summary>One PostgreSQL cluster per test process, started on first use and stopped when the process exits.</summary>
public static class SharedPostgres
{
    private static readonly Lazy<Task<PostgresCluster>> Cluster = new(StartAsync);

    public static Task<PostgresCluster> GetAsync() => Cluster.Value;

    private static async Task<PostgresCluster> StartAsync()
    {
        await LeftoverTestFolders.ClearAsync("idp-pg-", PostgresCluster.StopLeftoverAsync);
        var cluster = await PostgresCluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return cluster;
    }
}
