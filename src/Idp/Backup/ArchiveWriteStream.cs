using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Idp.Backup;

/// <summary>
/// Encrypts what is written to it into <see cref="ArchiveFormat"/> chunks. Disposing it writes the last chunk only
/// after <see cref="Complete"/>: a backup that failed half-way leaves an archive every reader calls cut short.
/// </summary>
internal sealed class ArchiveWriteStream(Stream inner, byte[] chunkKey, byte[] headerHash) : Stream
{
    private readonly AesGcm _aes = new(chunkKey, ArchiveFormat.TagSize);
    private readonly byte[] _plain = new byte[ArchiveFormat.ChunkSize];
    private readonly byte[] _cipher = new byte[ArchiveFormat.ChunkSize];
    private int _filled;
    private long _index;
    private bool _finished;
    private bool _complete;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_finished;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _plain.Length - _filled);
            buffer[..take].CopyTo(_plain.AsSpan(_filled));
            _filled += take;
            buffer = buffer[take..];
            if (_filled == _plain.Length)
            {
                WriteChunk(last: false);
            }
        }
    }

    /// <summary>Everything is written: disposing will seal the archive with its last chunk.</summary>
    public void Complete() => _complete = true;

    /// <summary>Chunks are written whole; a flush only flushes what is already out.</summary>
    public override void Flush() => inner.Flush();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_finished)
        {
            if (_complete)
            {
                // The last chunk may be empty: it still carries the mark that says nothing was cut off.
                WriteChunk(last: true);
            }

            _finished = true;
            inner.Flush();
            _aes.Dispose();
        }

        base.Dispose(disposing);
    }

    private void WriteChunk(bool last)
    {
        Span<byte> nonce = stackalloc byte[ArchiveFormat.NonceSize];
        Span<byte> tag = stackalloc byte[ArchiveFormat.TagSize];
        Span<byte> length = stackalloc byte[4];
        ArchiveFormat.Nonce(_index, nonce);
        _aes.Encrypt(nonce, _plain.AsSpan(0, _filled), _cipher.AsSpan(0, _filled), tag, ArchiveFormat.AssociatedData(headerHash, _index, last));
        BinaryPrimitives.WriteUInt32BigEndian(length, (uint)_filled | (last ? ArchiveFormat.LastChunkFlag : 0));
        inner.Write(length);
        inner.Write(_cipher.AsSpan(0, _filled));
        inner.Write(tag);
        CryptographicOperations.ZeroMemory(_plain.AsSpan(0, _filled));
        _filled = 0;
        _index++;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
