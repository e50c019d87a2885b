using System.Globalization;

namespace Idp.Testing;

/// <summary>
/// What test processes that ended without cleaning up left in /tmp. A test process stops its PostgreSQL cluster and
/// its slapd, and removes the SQLite template, from a ProcessExit handler, which does not run when the process is
/// killed or torn down early: the servers then keep running and their folders keep filling /tmp. Each such folder
/// names the process that made it; a new test process stops the servers of owners that are gone and removes their
/// folders.
/// </summary>
public static class LeftoverTestFolders
{
    private const string OwnerFile = "owner.pid";

    /// <summary>Marks a new folder as this process's, before anything is started in it.</summary>
    public static void Claim(string folder) => Claim(folder, Environment.ProcessId);

    /// <summary>Marks a folder as <paramref name="ownerProcessId"/>'s (a test names an ended process).</summary>
    public static void Claim(string folder, int ownerProcessId)
        => File.WriteAllText(Path.Combine(folder, OwnerFile), ownerProcessId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Stops (<paramref name="stop"/>) and removes every folder named <paramref name="prefix"/>* whose owner is gone.</summary>
    public static async Task ClearAsync(string prefix, Func<string, Task> stop)
    {
        // Whether an owner is gone is read from /proc: without it (not Linux) every folder would look abandoned.
        if (!Directory.Exists("/proc/self"))
        {
            return;
        }

        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), prefix + "*"))
        {
            if (!IsLeftOver(folder))
            {
                continue;
            }

            try
            {
                await stop(folder);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
            {
                // Not stopped (another user's server, for one): the folder stays, so it can still be found.
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: a leftover that cannot be removed does not stop this run.
            }
        }
    }

    /// <summary>
    /// The pid a leftover server's pid file holds, when that process still runs on <paramref name="path"/> (its command
    /// line names it); null otherwise. The pid may have been reused since: only our own server may be stopped.
    /// </summary>
    public static int? ProcessStartedOn(string pidFileText, string path)
    {
        try
        {
            return int.TryParse(pidFileText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && File.ReadAllText($"/proc/{pid}/cmdline").Contains(path, StringComparison.Ordinal)
                    ? pid
                    : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True when the folder's owner process has ended; folders without an owner file are never touched.</summary>
    private static bool IsLeftOver(string folder)
    {
        var file = Path.Combine(folder, OwnerFile);
        try
        {
            return int.TryParse(File.ReadAllText(file), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                && !IsRunning(owner);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// A killed process whose parent is gone stays a zombie (state Z in /proc/pid/stat, proc(5)) until something reaps
    /// it, which may be never: it counts as ended.
    /// </summary>
    private static bool IsRunning(int processId)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var afterName = stat.LastIndexOf(')');
            return afterName < 0 || afterName + 2 >= stat.Length || stat[afterName + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
