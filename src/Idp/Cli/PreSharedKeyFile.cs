namespace Idp.Cli;

/// <summary>
/// A PSKC pre-shared key (RFC 6030 §6.1) from a file: its hex digits (32, 48 or 64), or its 16, 24 or 32 raw bytes.
/// A file, not an argument: a key on the command line is visible to every user of the machine (ps, /proc).
/// </summary>
internal static class PreSharedKeyFile
{
    public static (byte[]? Key, string? Problem) Read(string option, string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            return (null, $"{option}: no file '{path}'");
        }

        if (info.Length > 256)
        {
            return (null, $"{option}: '{path}' is not a key (a key is 16, 24 or 32 bytes, or their hex digits)");
        }

        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes).Trim();
        if (text.Length is 32 or 48 or 64 && text.All(char.IsAsciiHexDigit))
        {
            return (Convert.FromHexString(text), null);
        }

        return bytes.Length is 16 or 24 or 32
            ? (bytes, null)
            : (null, $"{option}: '{path}' holds neither 32, 48 or 64 hex digits nor 16, 24 or 32 bytes");
    }
}
