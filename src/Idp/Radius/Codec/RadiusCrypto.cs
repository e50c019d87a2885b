using System.Security.Cryptography;

namespace Idp.Radius.Codec;

/// <summary>
/// The keyed parts of RADIUS: User-Password hiding (RFC 2865 §5.2), the Response Authenticator (§3) and
/// Message-Authenticator (RFC 3579 §3.2). MD5 is what the protocol specifies; nothing else here uses it.
/// </summary>
#pragma warning disable CA5351 // RFC 2865 and RFC 3579 mandate MD5 and HMAC-MD5.
internal static class RadiusCrypto
{
    /// <summary>
    /// §5.2: the password was padded to a multiple of 16 and XORed, 16 octets at a time, with MD5(secret + previous),
    /// where previous is the Request Authenticator, then the previous ciphertext block. Null when the length is not
    /// a multiple of 16 from 16 to 128.
    /// </summary>
    public static byte[]? RevealPassword(ReadOnlySpan<byte> hidden, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator)
    {
        if (hidden.Length is < 16 or > 128 || hidden.Length % 16 != 0)
        {
            return null;
        }

        var plain = new byte[hidden.Length];
        var previous = requestAuthenticator.ToArray();
        var buffer = new byte[secret.Length + 16];
        secret.CopyTo(buffer);
        for (var block = 0; block < hidden.Length; block += 16)
        {
            previous.CopyTo(buffer, secret.Length);
            var mask = MD5.HashData(buffer);
            for (var i = 0; i < 16; i++)
            {
                plain[block + i] = (byte)(hidden[block + i] ^ mask[i]);
            }

            previous = hidden.Slice(block, 16).ToArray();
        }

        // The padding is NULs; a password never contains one.
        var end = Array.IndexOf(plain, (byte)0);
        return end < 0 ? plain : plain[..end];
    }

    /// <summary>§5.2 in the client's direction: what a NAS sends (tests use it to build requests).</summary>
    public static byte[] HidePassword(ReadOnlySpan<byte> password, ReadOnlySpan<byte> secret, ReadOnlySpan<byte> requestAuthenticator)
    {
        var padded = new byte[Math.Max(16, (password.Length + 15) / 16 * 16)];
        password.CopyTo(padded);
        var hidden = new byte[padded.Length];
        var previous = requestAuthenticator.ToArray();
        var buffer = new byte[secret.Length + 16];
        secret.CopyTo(buffer);
        for (var block = 0; block < padded.Length; block += 16)
        {
            previous.CopyTo(buffer, secret.Length);
            var mask = MD5.HashData(buffer);
            for (var i = 0; i < 16; i++)
            {
                hidden[block + i] = (byte)(padded[block + i] ^ mask[i]);
            }

            previous = hidden[block..(block + 16)];
        }

        return hidden;
    }

    /// <summary>§3: MD5(Code + Identifier + Length + Request Authenticator + Attributes + Secret), written into the packet.</summary>
    public static void SignResponse(byte[] packet, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        var buffer = new byte[packet.Length + secret.Length];
        packet.CopyTo(buffer, 0);
        requestAuthenticator.CopyTo(buffer.AsSpan(4, 16));
        secret.CopyTo(buffer.AsSpan(packet.Length));
        MD5.HashData(buffer).CopyTo(packet, 4);
    }

    /// <summary>
    /// RFC 3579 §3.2: HMAC-MD5 over the packet with the Message-Authenticator value zeroed and, in a response, the
    /// Request Authenticator in the authenticator field. Written into the attribute's value at <paramref name="valueOffset"/>.
    /// </summary>
    public static void SignMessage(byte[] packet, int valueOffset, ReadOnlySpan<byte> requestAuthenticator, ReadOnlySpan<byte> secret)
    {
        Array.Clear(packet, valueOffset, 16);
        var copy = (byte[])packet.Clone();
        requestAuthenticator.CopyTo(copy.AsSpan(4, 16));
        HMACMD5.HashData(secret, copy).CopyTo(packet, valueOffset);
    }

    /// <summary>RFC 3579 §3.2 for a request: its own Request Authenticator stays in place; compared in constant time.</summary>
    public static bool MessageAuthenticatorValid(ReadOnlySpan<byte> datagram, int valueOffset, ReadOnlySpan<byte> secret)
    {
        var copy = datagram.ToArray();
        var presented = copy[valueOffset..(valueOffset + 16)];
        Array.Clear(copy, valueOffset, 16);
        return CryptographicOperations.FixedTimeEquals(HMACMD5.HashData(secret, copy), presented);
    }

    /// <summary>Where the value of the first attribute of a type starts in the octets, or -1.</summary>
    public static int ValueOffset(ReadOnlySpan<byte> datagram, byte type)
    {
        var length = (datagram[2] << 8) | datagram[3];
        for (var position = RadiusPacketReader.MinLength; position + 2 <= length; position += datagram[position + 1])
        {
            if (datagram[position + 1] < 3)
            {
                return -1;
            }

            if (datagram[position] == type)
            {
                return position + 2;
            }
        }

        return -1;
    }
}
#pragma warning restore CA5351
