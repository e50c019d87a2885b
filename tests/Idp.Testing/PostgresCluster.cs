using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Idp.Testing;

/// <summary>
/// A real, throwaway PostgreSQL for the test run: initdb in a temporary folder, a free loopback port, fsync off.
/// IDP_TEST_POSTGRES (an admin connection string) uses an existing server instead. There is no skipping: when no
/// server can be had, every PostgreSQL test fails with the reason.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    public const string EnvironmentVariable = "IDP_TEST_POSTGRES";

    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly string? _serverOptions;

    private PostgresCluster(string adminConnectionString, string? dataDirectory, string? binDirectory, string? serverOptions = null)
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _serverOptions = serverOptions;
    }

    public string AdminConnectionString { get; }

    public static async Task<PostgresCluster> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } existing)
        {
            return new PostgresCluster(existing, null, null);
        }

        return await StartOwnAsync("-c synchronous_commit=off", standbyOf: null);
    }

    /// <summary>
    /// A primary for streaming replication whose commits wait for a synchronous standby
    /// (<c>synchronous_standby_names='*'</c>): a commit it acknowledges is already on the standby.
    /// </summary>
    public static Task<PostgresCluster> StartPrimaryAsync()
        => StartOwnAsync("-c wal_level=replica -c max_wal_senders=5 -c synchronous_commit=on -c synchronous_standby_names='*'", standbyOf: null);

    /// <summary>A hot standby of <paramref name="primary"/> (pg_basebackup -R), streaming from it.</summary>
    public static Task<PostgresCluster> StartStandbyOfAsync(PostgresCluster primary)
        => StartOwnAsync("-c hot_standby=on", standbyOf: primary);

    public int Port => new NpgsqlConnectionStringBuilder(AdminConnectionString).Port;

    /// <summary>The temporary folder of the run's own cluster (its data, socket and log); null for an existing server.</summary>
    public string? Folder => _dataDirectory is null ? null : Path.GetDirectoryName(_dataDirectory);

    /// <summary>Makes a standby the primary (pg_ctl promote), as a failover does.</summary>
    public Task PromoteAsync()
        => RunAsync(Path.Combine(OwnBinaries(), "pg_ctl"), ["-D", _dataDirectory!, "-w", "promote"], Environment.UserName == "root");

    /// <summary>Kills the server as a crash would (immediate mode: no checkpoint, connections cut).</summary>
    public Task KillAsync()
        => RunAsync(Path.Combine(OwnBinaries(), "pg_ctl"), ["-D", _dataDirectory!, "-m", "immediate", "-w", "stop"], Environment.UserName == "root");

    private static async Task<PostgresCluster> StartOwnAsync(string roleOptions, PostgresCluster? standbyOf)
    {
        var bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install the Debian package 'postgresql' (./test.sh does), or set IDP_TEST_POSTGRES.");
        var root = Path.Combine(Path.GetTempPath(), $"idp-pg-{Guid.NewGuid():N}");
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        LeftoverTestFolders.Claim(root);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // PostgreSQL refuses to run as root: the cluster belongs to the 'postgres' account the package creates.
            await RunAsync("chown", ["postgres:postgres", root]);
        }

        if (standbyOf is null)
        {
            await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], asRoot);
        }
        else
        {
            await RunAsync(Path.Combine(bin, "pg_basebackup"), ["-h", "127.0.0.1", "-p", standbyOf.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-D", data, "-R", "-X", "stream", "--no-sync"], asRoot);
        }

        var port = FreePort();
        var options = $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 {roleOptions}";
        await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(root, "postgres.log"), "-w", "-t", "60", "start"], asRoot);
        var connection = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false }.ToString();
        return new PostgresCluster(connection, data, bin, options);
    }

    /// <summary>A new database on the cluster, empty or a copy of <paramref name="template"/>; each test fixture owns its own.</summary>
    public async Task<string> CreateDatabaseAsync(string? template = null)
    {
        var name = $"idp_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            // FILE_COPY (PostgreSQL 15+) copies the template's files whole, where the default WAL_LOG writes every block
            // through the WAL: about 70 against 145 ms a database here (a template of some 8 MB, most of it the catalogs).
            var strategy = connection.PostgreSqlVersion.Major >= 15 ? " STRATEGY FILE_COPY" : string.Empty;
            await using var command = new NpgsqlCommand(template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"{strategy}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true, MaxPoolSize = 50 }.ToString();
    }

    /// <summary>
    /// Closes the idle pooled connections to a test's finished database, so their server slots come back now rather
    /// than after Npgsql's idle lifetime (five minutes): a run that starts hosts quickly otherwise exhausts
    /// max_connections. The database itself stays until the cluster goes (dropping each cost more than it saved).
    /// </summary>
    public static void ReleaseConnections(string connectionString)
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        // The app's pool is keyed by the string as it completes it (Idp.Persistence.PostgresConnectionDefaults).
        NpgsqlConnection.ClearPool(new NpgsqlConnection(Idp.Persistence.PostgresConnectionDefaults.Apply(connectionString)));
    }

    /// <summary>
    /// Stops the server, as a restart or a failover would: open connections break, new ones are refused. "fast", not
    /// "immediate": this cluster runs with synchronous_commit off, so a crash would lose commits it had acknowledged.
    /// </summary>
    public Task StopServerAsync()
        => RunAsync(Path.Combine(OwnBinaries(), "pg_ctl"), ["-D", _dataDirectory!, "-m", "fast", "-w", "stop"], Environment.UserName == "root");

    /// <summary>Starts the stopped server again on the same port.</summary>
    public Task StartServerAsync()
        => RunAsync(Path.Combine(OwnBinaries(), "pg_ctl"), ["-D", _dataDirectory!, "-o", _serverOptions!, "-l", Path.Combine(Path.GetDirectoryName(_dataDirectory!)!, "postgres.log"), "-w", "-t", "60", "start"], Environment.UserName == "root");

    /// <summary>Stops the server an ended test process left running in <paramref name="folder"/> (<see cref="LeftoverTestFolders"/>).</summary>
    public static async Task StopLeftoverAsync(string folder)
    {
        var data = Path.Combine(folder, "data");
        string postmaster;
        try
        {
            // postmaster.pid's first line is the server's pid; the file may be gone (another process clearing it too).
            postmaster = (await File.ReadAllLinesAsync(Path.Combine(data, "postmaster.pid"))).FirstOrDefault() ?? string.Empty;
        }
        catch (IOException)
        {
            return;
        }

        // pg_ctl signals whatever has that pid now: only a postgres started on this folder's data is stopped. A server
        // that died hard leaves a stale file, and its folder just goes.
        if (LeftoverTestFolders.ProcessStartedOn(postmaster, data) is not null && FindBinaries() is { } bin)
        {
            await RunAsync(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
        }
    }

    private string OwnBinaries()
        => _binDirectory ?? throw new InvalidOperationException($"this cluster is not the test run's own ({EnvironmentVariable} is set): it cannot be stopped and started");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_dataDirectory is null || _binDirectory is null)
        {
            return;
        }

        try
        {
            // A server a test killed already (KillAsync) has nothing to stop.
            if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
            {
                await RunAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        return Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, string[] arguments, bool asPostgresUser = false)
    {
        var start = asPostgresUser
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", file, .. arguments])
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.WorkingDirectory = Path.GetTempPath();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
