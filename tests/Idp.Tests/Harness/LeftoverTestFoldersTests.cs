using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Idp.Tests.Harness;

/// <summary>
/// A test process clears what ended runs left in /tmp (<see cref="LeftoverTestFolders"/>): their servers stopped,
/// their folders removed, and nothing of a live process or of a folder that names no owner.
/// </summary>
public sealed class LeftoverTestFoldersTests
{
    [Fact]
    public async Task TheFolderOfAnEndedProcessGoes_ALiveOwnersAndAnUnclaimedOneStay()
    {
        var ended = NewFolder("idp-sqlite-");
        var live = NewFolder("idp-sqlite-");
        var unclaimed = NewFolder("idp-sqlite-");
        LeftoverTestFolders.Claim(ended, await EndedProcessIdAsync());
        LeftoverTestFolders.Claim(live);
        try
        {
            await LeftoverTestFolders.ClearAsync("idp-sqlite-", _ => Task.CompletedTask);

            Assert.False(Directory.Exists(ended));
            Assert.True(Directory.Exists(live));
            Assert.True(Directory.Exists(unclaimed));
        }
        finally
        {
            foreach (var folder in new[] { live, unclaimed }.Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public async Task ASlapdLeftRunningByAnEndedProcess_IsStopped_AndItsFolderRemoved()
    {
        await using var ldap = await OpenLdapServer.StartAsync();
        var folder = Path.GetDirectoryName(ldap.CaFile)!;
        LeftoverTestFolders.Claim(folder, await EndedProcessIdAsync());

        await LeftoverTestFolders.ClearAsync("idp-ldap-", OpenLdapServer.StopLeftoverAsync);

        Assert.False(Directory.Exists(folder));
        await AssertRefusedAsync(ldap.Port);
    }

    [Fact]
    public async Task APostgreSqlClusterLeftRunningByAnEndedProcess_IsStopped_AndItsFolderRemoved()
    {
        var cluster = await PostgresCluster.StartAsync();
        var folder = cluster.Folder ?? throw new InvalidOperationException($"this test needs the run's own cluster, not {PostgresCluster.EnvironmentVariable}");
        try
        {
            LeftoverTestFolders.Claim(folder, await EndedProcessIdAsync());

            await LeftoverTestFolders.ClearAsync("idp-pg-", PostgresCluster.StopLeftoverAsync);

            Assert.False(Directory.Exists(folder));
            await AssertRefusedAsync(cluster.Port);
        }
        finally
        {
            // Left running when the clearing failed: stopped here, not by the next run.
            if (Directory.Exists(folder))
            {
                await cluster.DisposeAsync();
            }
        }
    }

    private static string NewFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The id of a process that has run and been reaped: no process has it now.</summary>
    private static async Task<int> EndedProcessIdAsync()
    {
        using var process = Process.Start("true") ?? throw new InvalidOperationException("could not start 'true'");
        await process.WaitForExitAsync();
        return process.Id;
    }

    private static async Task AssertRefusedAsync(int port)
    {
        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
    }
}
