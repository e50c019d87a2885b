namespace Idp.Backup;

/// <summary>
/// The archive's key: Base64 of 32 bytes, from a file or (<c>-</c>) standard input. It is not the secret key that
/// encrypts stored secrets (Idp:Secrets): that one is never in an archive, and is kept apart from it.
/// </summary>
internal static class BackupKeyFile
{
    public const string Stdin = "-";

    /// <summary>The key, or a message naming what is wrong with <paramref name="path"/>.</summary>
    public static (byte[]? Key, string? Problem) Read(string path, TextReader stdin)
    {
        string text;
        if (path == Stdin)
        {
            text = stdin.ReadLine() ?? string.Empty;
        }
        else if (!File.Exists(path))
        {
            return (null, $"--key-file {path}: no such file");
        }
        else
        {
            var info = new FileInfo(path);
            if (info.Length > 1024)
            {
                return (null, $"--key-file {path}: too large for a key; it must hold the Base64 of {ArchiveFormat.KeySize} bytes");
            }

            text = File.ReadAllText(path);
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            return (null, $"--key-file {Describe(path)}: not Base64; it must hold the Base64 of {ArchiveFormat.KeySize} random bytes (head -c {ArchiveFormat.KeySize} /dev/urandom | base64)");
        }

        return key.Length == ArchiveFormat.KeySize
            ? (key, null)
            : (null, $"--key-file {Describe(path)}: {key.Length} bytes; it must hold the Base64 of {ArchiveFormat.KeySize} random bytes (head -c {ArchiveFormat.KeySize} /dev/urandom | base64)");
    }

    public static string Describe(string path) => path == Stdin ? "- (standard input)" : path;
}
