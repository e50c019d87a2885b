namespace Idp.Otp.Codecs;

/// <summary>
/// Base32 with the RFC 4648 §6 alphabet. Written upper-case without padding (what authenticator apps expect in
/// otpauth URIs); read in any case, with or without spaces, dashes and '=' padding, because LemonLDAP::NG writes
/// lower-case and people type keys in groups.
/// </summary>
public static class Base32
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Encode(ReadOnlySpan<byte> data, bool padding = false)
    {
        if (data.IsEmpty)
        {
            return string.Empty;
        }

        var output = new System.Text.StringBuilder((data.Length + 4) / 5 * 8);
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                output.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            output.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        // RFC 4648 §6: output is padded to a multiple of 8 characters when padding is wanted.
        while (padding && output.Length % 8 != 0)
        {
            output.Append('=');
        }

        return output.ToString();
    }

    /// <summary>Decodes; false when a character is outside the alphabet, padding is misplaced, or the length cannot come from whole bytes.</summary>
    public static bool TryDecode(string? text, out byte[] data)
    {
        data = [];
        if (text is null)
        {
            return false;
        }

        var symbols = new List<int>(text.Length);
        var paddingSeen = 0;
        foreach (var c in text)
        {
            if (c is ' ' or '-' or '\t')
            {
                continue;
            }

            if (c == '=')
            {
                paddingSeen++;
                continue;
            }

            if (paddingSeen > 0)
            {
                return false; // data after padding
            }

            var value = c switch
            {
                >= 'A' and <= 'Z' => c - 'A',
                >= 'a' and <= 'z' => c - 'a',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            symbols.Add(value);
        }

        // RFC 4648 §6: a final quantum has 2, 4, 5 or 7 symbols; 1, 3 and 6 cannot come from whole bytes.
        var remainder = symbols.Count % 8;
        if (remainder is 1 or 3 or 6)
        {
            return false;
        }

        if (paddingSeen > 0 && (symbols.Count + paddingSeen) % 8 != 0)
        {
            return false;
        }

        var result = new byte[symbols.Count * 5 / 8];
        int buffer = 0, bits = 0, index = 0;
        foreach (var symbol in symbols)
        {
            buffer = (buffer << 5) | symbol;
            bits += 5;
            if (bits >= 8)
            {
                result[index++] = (byte)(buffer >> (bits - 8));
                bits -= 8;
                buffer &= (1 << bits) - 1;
            }
        }

        // Leftover bits are ignored rather than refused (RFC 4648 §3.5 lets decoders choose): keys typed from other
        // products are not always canonical, and the bits carry no key material.
        data = result;
        return true;
    }
}
