using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Idp.Backup;

/// <summary>
/// The layout of an Idp backup file:
/// <c>magic · header length (4 bytes, big-endian) · header JSON · chunk*</c>, each chunk
/// <c>length (4 bytes, big-endian; the top bit marks the last chunk) · AES-256-GCM ciphertext · 16-byte tag</c>.
/// The chunk key is HKDF-SHA256 (RFC 5869) of the archive key with the header's salt, so a key used for many archives
/// never repeats a (key, nonce) pair; the nonce is the chunk's index (NIST SP 800-38D §8.2.1, deterministic
/// construction). Each chunk's associated data binds the header, the index and the last-chunk mark, so a chunk cannot
/// be moved, dropped or the archive cut short without the tag check failing.
/// </summary>
internal static class ArchiveFormat
{
    public const int Version = 1;

    /// <summary>Plaintext bytes per chunk: small enough to hold in memory, large enough that the tags cost nothing.</summary>
    public const int ChunkSize = 64 * 1024;

    public const int TagSize = 16;

    public const int NonceSize = 12;

    public const int KeySize = 32;

    /// <summary>A header is a few hundred bytes; anything much larger is not one of ours.</summary>
    public const int MaxHeaderSize = 16 * 1024;

    public const uint LastChunkFlag = 0x8000_0000;

    public static ReadOnlySpan<byte> Magic => "IDP-BACKUP\n"u8;

    private static readonly byte[] KeyInfo = Encoding.ASCII.GetBytes("idp backup v1 chunk key");

    public static byte[] ChunkKey(ReadOnlySpan<byte> archiveKey, ReadOnlySpan<byte> salt)
    {
        var key = new byte[KeySize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, archiveKey, key, salt, KeyInfo);
        return key;
    }

    public static void Nonce(long index, Span<byte> nonce)
    {
        nonce.Clear();
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], index);
    }

    /// <summary>SHA-256 of the header, then the chunk's index and whether it is the last.</summary>
    public static byte[] AssociatedData(ReadOnlySpan<byte> headerHash, long index, bool last)
    {
        var data = new byte[headerHash.Length + 9];
        headerHash.CopyTo(data);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(headerHash.Length), index);
        data[^1] = last ? (byte)1 : (byte)0;
        return data;
    }
}
