using System.Text;

namespace Idp.Otp.Tokens;

/// <summary>The token file formats Idp imports.</summary>
public enum TokenFileFormat
{
    /// <summary>RFC 6030 Portable Symmetric Key Container.</summary>
    Pskc,

    /// <summary>serial, seed-hex, type, digits, counter-or-step[, user]: one token a line.</summary>
    OathCsv,
}

/// <summary>Reads a token file in either format, bounded in size before anything is parsed.</summary>
public static class TokenFiles
{
    /// <summary>"pskc" or "oath-csv", as the command line, the API and the upload form name them.</summary>
    public static bool TryParseFormat(string? name, out TokenFileFormat format)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "pskc": format = TokenFileFormat.Pskc; return true;
            case "oath-csv" or "csv": format = TokenFileFormat.OathCsv; return true;
            default: format = default; return false;
        }
    }

    /// <summary>PSKC when the content starts with '&lt;' (XML), OATH CSV otherwise: a format not named is recognised.</summary>
    public static TokenFileFormat Detect(ReadOnlySpan<byte> content)
    {
        foreach (var b in content)
        {
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF)
            {
                continue;
            }

            return b == (byte)'<' ? TokenFileFormat.Pskc : TokenFileFormat.OathCsv;
        }

        return TokenFileFormat.OathCsv;
    }

    /// <summary>Reads at most <see cref="TokenFileLimits.MaxBytes"/> bytes of <paramref name="input"/>; more refuses the file.</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream input, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > TokenFileLimits.MaxBytes)
            {
                throw new TokenFileException("file", $"larger than {TokenFileLimits.MaxBytes / (1024 * 1024)} MB: split it");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <exception cref="TokenFileException">The file cannot be imported; nothing of it should be.</exception>
    public static IReadOnlyList<TokenSeed> Read(byte[] content, TokenFileFormat? format, PskcDecryption decryption)
    {
        if ((format ?? Detect(content)) == TokenFileFormat.Pskc)
        {
            using var stream = new MemoryStream(content, writable: false);
            return PskcReader.Read(stream, decryption);
        }

        using var reader = new StreamReader(new MemoryStream(content, writable: false), new UTF8Encoding(false, throwOnInvalidBytes: true));
        try
        {
            return OathCsvReader.Read(reader);
        }
        catch (DecoderFallbackException e)
        {
            throw new TokenFileException("file", "not UTF-8 text", e);
        }
    }
}
