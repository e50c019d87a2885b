namespace Idp.Backup;

/// <summary>
/// The archive's key: Base64 of 32 bytes, from a file or (<c>-</c>) standard input. It is not the secret key that
/// encrypts stored secrets (Idp:Secrets): that one is never in an archive, and is kept apart from it.
/// </summary>
internal static class BackupKeyFile
{
    public const string Stdin = "-";

    /// <summary>The key, or a message naming what is wrong with <paramref name="path"/>; a warning when others may read the file.</summary>
    public static (byte[]? Key, string? Problem, string? Warning) Read(string path, TextReader stdin)
    {
        string text;
        string? warning = null;
        if (path == Stdin)
        {
            text = stdin.ReadLine() ?? string.Empty;
        }
        else if (Directory.Exists(path))
        {
            return (null, $"--key-file {path}: a directory, not a key file", null);
        }
        else if (!File.Exists(path))
        {
            return (null, $"--key-file {path}: no such file", null);
        }
        else
        {
            try
            {
                if (new FileInfo(path).Length > 1024)
                {
                    return (null, $"--key-file {path}: too large for a key; it must hold the Base64 of {ArchiveFormat.KeySize} bytes", null);
                }

                text = File.ReadAllText(path);
                if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
                {
                    warning = $"--key-file {path} can be read by other users: chmod 600 it";
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, $"--key-file {path}: cannot be read ({ex.Message})", null);
            }
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return (null, $"--key-file {Describe(path)}: not Base64; it must hold the Base64 of {ArchiveFormat.KeySize} random bytes (head -c {ArchiveFormat.KeySize} /dev/urandom | base64)", null);
        }

        return key.Length == ArchiveFormat.KeySize
            ? (key, null, warning)
            : (null, $"--key-file {Describe(path)}: {key.Length} bytes; it must hold the Base64 of {ArchiveFormat.KeySize} random bytes (head -c {ArchiveFormat.KeySize} /dev/urandom | base64)", null);
    }

    public static string Describe(string path) => path == Stdin ? "- (standard input)" : path;
}
