using System.Buffers.Binary;
using System.Security.Cryptography;
using Idp.Backup;

namespace Idp.Tests.Operations;

/// <summary>
/// The archive's chunks, beyond one: every way of moving, dropping, repeating or relabelling a chunk, or adding bytes,
/// must fail the read (NIST SP 800-38D tags over the header, the index and the last mark).
/// </summary>
public sealed class BackupArchiveTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData(200 * 1024)]
    [InlineData(2 * 64 * 1024)]
    [InlineData(0)]
    public void WhatIsWrittenIsReadBack_AcrossChunks_EvenAnExactMultipleOfTheChunkSize(int size)
    {
        var data = RandomNumberGenerator.GetBytes(size);

        var read = ReadAll(Write(data, complete: true));

        Assert.Equal(data, read);
    }

    [Fact]
    public void SwappedChunksAreRefused() => AssertRefused(Rechunk(Write(Big(), complete: true), chunks => [chunks[1], chunks[0], .. chunks[2..]]), "the archive was altered");

    [Fact]
    public void ARepeatedChunkIsRefused() => AssertRefused(Rechunk(Write(Big(), complete: true), chunks => [chunks[0], chunks[1], chunks[1], .. chunks[2..]]), "chunk 2");

    [Fact]
    public void AnArchiveCutAtAChunkBoundaryIsRefused() => AssertRefused(Rechunk(Write(Big(), complete: true), chunks => chunks[..^1]), "cut short");

    [Fact]
    public void AChunkRelabelledAsTheLastIsRefused()
        => AssertRefused(Rechunk(Write(Big(), complete: true), chunks => [chunks[0], WithLastMark(chunks[1])]), "chunk 1");

    [Fact]
    public void BytesAfterTheLastChunkAreRefused() => AssertRefused([.. Write(Big(), complete: true), 0x00], "after its last chunk");

    [Fact]
    public void AnAlteredByteInALaterChunkIsRefused()
    {
        var archive = Write(Big(), complete: true);
        archive[^100] ^= 0x40;

        AssertRefused(archive, "chunk 3");
    }

    [Fact]
    public void AnAlteredHeaderIsRefused()
    {
        var archive = Write(Big(), complete: true);
        var at = archive.AsSpan().IndexOf("0010"u8);
        archive[at + 3] = (byte)'9';

        AssertRefused(archive, "another key, or the archive was altered");
    }

    [Fact]
    public void AnArchiveThatWasNeverCompleted_ABackupThatFailedHalfWay_IsRefused() => AssertRefused(Write(Big(), complete: false), "cut short");

    [Fact]
    public void TheWrongKeyIsNamed()
    {
        var archive = Write(Big(), complete: true);

        var refused = Assert.Throws<BackupArchiveException>(() =>
        {
            var (_, body) = BackupArchive.Open(new MemoryStream(archive), RandomNumberGenerator.GetBytes(32), "other.key");
            body.CopyTo(Stream.Null);
        });

        Assert.Contains("cannot be decrypted with the key from other.key", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>More than three chunks of data that does not compress.</summary>
    private static byte[] Big() => RandomNumberGenerator.GetBytes((3 * 64 * 1024) + 5000);

    private static byte[] Write(byte[] data, bool complete)
    {
        var output = new MemoryStream();
        var header = new BackupHeader(1, "0010_hardware_tokens", "Sqlite", DateTimeOffset.UnixEpoch, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        var (body, archive) = BackupArchive.Create(output, Key, header);
        using (body)
        {
            body.Write(data);
            if (complete)
            {
                archive.Complete();
            }
        }

        return output.ToArray();
    }

    private static byte[] ReadAll(byte[] archive)
    {
        var (_, body) = BackupArchive.Open(new MemoryStream(archive), Key, "test.key");
        var read = new MemoryStream();
        body.CopyTo(read);
        return read.ToArray();
    }

    private static void AssertRefused(byte[] archive, string reason)
    {
        var refused = Assert.Throws<BackupArchiveException>(() => ReadAll(archive));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    /// <summary>The archive with its chunks rearranged: magic and header kept, chunks as <paramref name="arrange"/> lists them.</summary>
    private static byte[] Rechunk(byte[] archive, Func<byte[][], byte[][]> arrange)
    {
        var headerEnd = 11 + 4 + BinaryPrimitives.ReadInt32BigEndian(archive.AsSpan(11));
        var chunks = new List<byte[]>();
        for (var at = headerEnd; at < archive.Length;)
        {
            var size = (int)(BinaryPrimitives.ReadUInt32BigEndian(archive.AsSpan(at)) & 0x7FFF_FFFF);
            chunks.Add(archive[at..(at + 4 + size + 16)]);
            at += 4 + size + 16;
        }

        Assert.True(chunks.Count >= 4, $"only {chunks.Count} chunks");
        return [.. archive[..headerEnd], .. arrange([.. chunks]).SelectMany(c => c)];
    }

    private static byte[] WithLastMark(byte[] chunk)
    {
        var marked = chunk.ToArray();
        marked[0] |= 0x80;
        return marked;
    }
}
