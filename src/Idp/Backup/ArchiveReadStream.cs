using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Idp.Backup;

/// <summary>
/// Decrypts <see cref="ArchiveFormat"/> chunks as they are read; a chunk whose tag fails, a missing last chunk or
/// bytes after it end the read with a <see cref="BackupArchiveException"/> (nothing unauthenticated is returned).
/// </summary>
internal sealed class ArchiveReadStream(Stream inner, byte[] chunkKey, byte[] headerHash, string keySource) : Stream
{
    private readonly AesGcm _aes = new(chunkKey, ArchiveFormat.TagSize);
    private readonly byte[] _plain = new byte[ArchiveFormat.ChunkSize];
    private readonly byte[] _cipher = new byte[ArchiveFormat.ChunkSize];
    private int _available;
    private int _position;
    private long _index;
    private bool _last;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_position == _available)
        {
            if (_last)
            {
                return 0;
            }

            ReadChunk();
        }

        var take = Math.Min(buffer.Length, _available - _position);
        _plain.AsSpan(_position, take).CopyTo(buffer);
        _position += take;
        return take;
    }

    private void ReadChunk()
    {
        Span<byte> length = stackalloc byte[4];
        if (!ReadExactly(inner, length))
        {
            throw new BackupArchiveException("the archive is cut short: its last chunk is missing (an incomplete copy?)");
        }

        var word = BinaryPrimitives.ReadUInt32BigEndian(length);
        var last = (word & ArchiveFormat.LastChunkFlag) != 0;
        var size = (int)(word & ~ArchiveFormat.LastChunkFlag);
        Span<byte> tag = stackalloc byte[ArchiveFormat.TagSize];
        if (size > ArchiveFormat.ChunkSize || !ReadExactly(inner, _cipher.AsSpan(0, size)) || !ReadExactly(inner, tag))
        {
            throw new BackupArchiveException($"the archive is damaged or cut short at chunk {_index}");
        }

        Span<byte> nonce = stackalloc byte[ArchiveFormat.NonceSize];
        ArchiveFormat.Nonce(_index, nonce);
        try
        {
            _aes.Decrypt(nonce, _cipher.AsSpan(0, size), tag, _plain.AsSpan(0, size), ArchiveFormat.AssociatedData(headerHash, _index, last));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new BackupArchiveException(_index == 0
                ? $"the archive cannot be decrypted with the key from {keySource}: it is another key, or the archive was altered"
                : $"the archive was altered or damaged: chunk {_index} fails its integrity check");
        }

        if (last && inner.ReadByte() != -1)
        {
            throw new BackupArchiveException("the archive has bytes after its last chunk: it was altered");
        }

        _available = size;
        _position = 0;
        _last = last;
        _index++;
    }

    private static bool ReadExactly(Stream stream, Span<byte> buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
