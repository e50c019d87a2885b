using System.Security.Cryptography;
using System.Text.Json;
using Idp.Backup;

namespace Idp.Tests.Operations;

/// <summary>A folder for one test's archives and key files, and a reader of what an archive holds.</summary>
internal sealed class BackupArchives : IDisposable
{
    public BackupArchives()
    {
        Directory.CreateDirectory(Folder);
        Key = RandomNumberGenerator.GetBytes(32);
        KeyFile = Path.Combine(Folder, "archive.key");
        File.WriteAllText(KeyFile, Convert.ToBase64String(Key) + "\n");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"idp-backup-{Guid.NewGuid():N}");

    public byte[] Key { get; }

    public string KeyFile { get; }

    public string PathOf(string name) => Path.Combine(Folder, name);

    /// <summary>Each row as "table row-json", sorted: two archives with the same rows read the same.</summary>
    public async Task<List<string>> RowsAsync(string archive)
    {
        await using var file = File.OpenRead(archive);
        var (_, body) = BackupArchive.Open(file, Key, "test");
        using var reader = new StreamReader(body);
        var rows = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var root = JsonDocument.Parse(line).RootElement;
            if (!root.TryGetProperty("end", out _))
            {
                rows.Add($"{root.GetProperty("t").GetString()} {root.GetProperty("r").GetRawText()}");
            }
        }

        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
