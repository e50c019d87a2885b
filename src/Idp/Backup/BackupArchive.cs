using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;

namespace Idp.Backup;

/// <summary>Opens an archive for writing or reading: the clear header, then the compressed, encrypted body.</summary>
internal static class BackupArchive
{
    private static readonly JsonSerializerOptions HeaderJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Writes the header and returns the body's stream (what is written to it is compressed, then encrypted) and the
    /// encrypting stream under it, to <see cref="ArchiveWriteStream.Complete"/> before the body is disposed.
    /// </summary>
    public static (Stream Body, ArchiveWriteStream Archive) Create(Stream output, ReadOnlySpan<byte> archiveKey, BackupHeader header)
    {
        var headerBytes = JsonSerializer.SerializeToUtf8Bytes(header, HeaderJson);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, headerBytes.Length);
        output.Write(ArchiveFormat.Magic);
        output.Write(length);
        output.Write(headerBytes);
        var body = new ArchiveWriteStream(output, ArchiveFormat.ChunkKey(archiveKey, Convert.FromBase64String(header.Salt)), SHA256.HashData(headerBytes));
        // Compressed before it is encrypted: ciphertext does not compress. An archive at rest has no attacker choosing
        // part of its plaintext while watching its size, so compression leaks nothing here.
        return (new GZipStream(body, CompressionLevel.Optimal, leaveOpen: false), body);
    }

    /// <summary>Reads and checks the header; the body's tags are checked as it is read.</summary>
    public static (BackupHeader Header, Stream Body) Open(Stream input, ReadOnlySpan<byte> archiveKey, string keySource)
    {
        var magic = new byte[ArchiveFormat.Magic.Length];
        Span<byte> length = stackalloc byte[4];
        if (input.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false) != magic.Length || !magic.AsSpan().SequenceEqual(ArchiveFormat.Magic)
            || input.ReadAtLeast(length, 4, throwOnEndOfStream: false) != 4)
        {
            throw new BackupArchiveException("this is not an Idp backup archive");
        }

        var size = BinaryPrimitives.ReadInt32BigEndian(length);
        var headerBytes = new byte[size is > 0 and <= ArchiveFormat.MaxHeaderSize ? size : 0];
        BackupHeader? header = null;
        try
        {
            if (headerBytes.Length > 0 && input.ReadAtLeast(headerBytes, headerBytes.Length, throwOnEndOfStream: false) == headerBytes.Length)
            {
                header = JsonSerializer.Deserialize<BackupHeader>(headerBytes, HeaderJson);
            }
        }
        catch (JsonException)
        {
            header = null;
        }

        if (header is null || string.IsNullOrEmpty(header.Schema) || string.IsNullOrEmpty(header.Salt))
        {
            throw new BackupArchiveException("the archive's header is damaged");
        }

        if (header.Version != ArchiveFormat.Version)
        {
            throw new BackupArchiveException($"the archive's format is version {header.Version}; this Idp reads version {ArchiveFormat.Version}");
        }

        byte[] salt;
        try
        {
            salt = Convert.FromBase64String(header.Salt);
        }
        catch (FormatException)
        {
            throw new BackupArchiveException("the archive's header is damaged");
        }

        var body = new ArchiveReadStream(input, ArchiveFormat.ChunkKey(archiveKey, salt), SHA256.HashData(headerBytes), keySource);
        return (header, new GZipStream(body, CompressionMode.Decompress, leaveOpen: false));
    }
}
