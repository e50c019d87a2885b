using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Tokens;

/// <summary>
/// Reads a PSKC file (RFC 6030) into token seeds, all or nothing: the first entry that cannot be imported stops the
/// whole file with a <see cref="TokenFileException"/> naming it. Plain secrets (§6), secrets encrypted under a
/// pre-shared key (§6.1) or a key derived from a password with PBKDF2 (§6.2), AES-CBC (XML Encryption, the IV
/// before the ciphertext); each encrypted value's ValueMAC (§6.1.1, an HMAC over IV and ciphertext) is checked.
/// No DTD is read and no external entity resolved.
/// </summary>
public static class PskcReader
{
    private static readonly XNamespace Pskc = "urn:ietf:params:xml:ns:keyprov:pskc";
    private static readonly XNamespace Ds = "http://www.w3.org/2000/09/xmldsig#";
    private static readonly XNamespace Xenc = "http://www.w3.org/2001/04/xmlenc#";
    private static readonly XNamespace Xenc11 = "http://www.w3.org/2009/xmlenc11#";
    private static readonly XNamespace Pkcs5 = "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#";

    public static IReadOnlyList<TokenSeed> Read(Stream file, PskcDecryption decryption)
    {
        var container = Load(file);
        if (container.Name != Pskc + "KeyContainer" || (string?)container.Attribute("Version") != "1.0")
        {
            throw new TokenFileException("file", "not a PSKC 1.0 KeyContainer (RFC 6030 §4)");
        }

        var key = EncryptionKey(container, decryption);
        var macKey = MacKey(container, key);
        var tokens = new List<TokenSeed>();
        var serials = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var package in container.Elements(Pskc + "KeyPackage"))
        {
            position++;
            foreach (var element in package.Elements(Pskc + "Key"))
            {
                if (tokens.Count >= TokenFileLimits.MaxTokens)
                {
                    throw new TokenFileException("file", $"more than {TokenFileLimits.MaxTokens} keys: split it");
                }

                var serial = ((string?)package.Element(Pskc + "DeviceInfo")?.Element(Pskc + "SerialNo"))?.Trim() ?? ((string?)element.Attribute("Id"))?.Trim();
                var entry = string.IsNullOrEmpty(serial) ? $"key package {position}" : $"key {serial}";
                if (Token(element, package, serial, entry, key, macKey, decryption) is not { } token)
                {
                    continue;
                }

                if (!serials.Add(token.Serial))
                {
                    throw new TokenFileException(entry, "the serial appears twice in the file");
                }

                tokens.Add(token);
            }
        }

        return tokens.Count > 0 ? tokens : throw new TokenFileException("file", "it holds no HOTP or TOTP key");
    }

    private static XElement Load(Stream file)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = TokenFileLimits.MaxBytes,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(file, settings);
            return XDocument.Load(reader).Root ?? throw new TokenFileException("file", "empty");
        }
        catch (XmlException e)
        {
            throw new TokenFileException("file", $"not well-formed XML (line {e.LineNumber}: {e.Message})", e);
        }
    }

    /// <summary>The key's seed; null for a key that is not a token (a PIN, §5's PINPolicy points at it).</summary>
    private static TokenSeed? Token(XElement element, XElement package, string? serial, string entry, byte[]? key, byte[]? macKey, PskcDecryption decryption)
    {
        var algorithmUri = (string?)element.Attribute("Algorithm") ?? string.Empty;
        var kind = algorithmUri.Split(':', '#').Last().ToLowerInvariant();
        OtpDeviceType type;
        switch (kind)
        {
            case "hotp":
                type = OtpDeviceType.Hotp;
                break;
            case "totp":
                type = OtpDeviceType.Totp;
                break;
            case "pin":
                return null;
            default:
                throw new TokenFileException(entry, $"unknown algorithm \"{algorithmUri}\" (HOTP and TOTP are imported)");
        }

        if (!TokenSerials.IsValid(serial))
        {
            throw new TokenFileException(entry, $"the serial (DeviceInfo/SerialNo, or the Key Id) must be {TokenSerials.Rule}");
        }

        var parameters = element.Element(Pskc + "AlgorithmParameters");
        var format = parameters?.Element(Pskc + "ResponseFormat");
        var encoding = (string?)format?.Attribute("Encoding") ?? "DECIMAL";
        if (!string.Equals(encoding, "DECIMAL", StringComparison.OrdinalIgnoreCase))
        {
            throw new TokenFileException(entry, $"response encoding {encoding} (only DECIMAL codes are supported)");
        }

        var digits = Integer(format?.Attribute("Length")?.Value, entry, "ResponseFormat Length") ?? 6;
        if (digits is < 6 or > 8)
        {
            throw new TokenFileException(entry, $"{digits} digits (6, 7 or 8 are supported)");
        }

        var data = element.Element(Pskc + "Data");
        var secret = data?.Element(Pskc + "Secret") is { } secretElement
            ? Value(secretElement, entry, key, macKey, decryption)
            : throw new TokenFileException(entry, "no secret (a key derived from a master key, KeyReference, cannot be imported)");
        if (secret.Length is < TokenFileLimits.MinSecretBytes or > TokenFileLimits.MaxSecretBytes)
        {
            throw new TokenFileException(entry, $"the secret must be {TokenFileLimits.MinSecretBytes} to {TokenFileLimits.MaxSecretBytes} bytes (RFC 4226 asks for at least 128 bits)");
        }

        var counter = Integer(PlainNumber(data, "Counter", entry), entry, "Counter") ?? 0;
        var period = Integer(PlainNumber(data, "TimeInterval", entry), entry, "TimeInterval") ?? 30;
        var drift = Integer(PlainNumber(data, "TimeDrift", entry), entry, "TimeDrift") ?? 0;
        if (counter is < 0 or > TokenFileLimits.MaxCounter || period is < Totp.MinPeriod or > Totp.MaxPeriod || drift is < -TokenFileLimits.MaxDrift or > TokenFileLimits.MaxDrift)
        {
            throw new TokenFileException(entry, $"Counter must be 0 to {TokenFileLimits.MaxCounter}, TimeInterval {Totp.MinPeriod} to {Totp.MaxPeriod} seconds and TimeDrift at most {TokenFileLimits.MaxDrift} steps either way");
        }

        return new TokenSeed(serial, type, Hash(parameters, entry), (int)digits, counter, (int)period, (int)drift, secret)
        {
            Manufacturer = Text(package.Element(Pskc + "DeviceInfo")?.Element(Pskc + "Manufacturer")),
            Issuer = Text(element.Element(Pskc + "Issuer")),
        };
    }

    /// <summary>The HMAC hash of the OTP algorithm: <c>Suite</c> (e.g. HMAC-SHA256), SHA-1 when absent (RFC 4226).</summary>
    private static OtpHashAlgorithm Hash(XElement? parameters, string entry)
    {
        var suite = ((string?)parameters?.Element(Pskc + "Suite"))?.Trim().ToUpperInvariant().Replace("HMAC-", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        return suite switch
        {
            null or "" or "SHA1" => OtpHashAlgorithm.Sha1,
            "SHA256" => OtpHashAlgorithm.Sha256,
            "SHA512" => OtpHashAlgorithm.Sha512,
            _ => throw new TokenFileException(entry, $"unknown algorithm suite \"{parameters!.Element(Pskc + "Suite")!.Value.Trim()}\" (SHA1, SHA256 or SHA512)"),
        };
    }

    private static string? PlainNumber(XElement? data, string name, string entry)
    {
        if (data?.Element(Pskc + name) is not { } element)
        {
            return null;
        }

        return element.Element(Pskc + "PlainValue") is { } plain
            ? plain.Value.Trim()
            : throw new TokenFileException(entry, $"{name} must be a PlainValue (an encrypted {name} is not supported)");
    }

    private static long? Integer(string? text, string entry, string what)
        => text is null ? null
            : long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
            : throw new TokenFileException(entry, $"{what} is not an integer");

    private static string? Text(XElement? element) => element is null ? null : element.Value.Trim() is { Length: > 0 and <= 256 } text ? text : null;

    /// <summary>A Secret's value: Base64 PlainValue, or an EncryptedValue opened with the file's key and its ValueMAC checked.</summary>
    private static byte[] Value(XElement secret, string entry, byte[]? key, byte[]? macKey, PskcDecryption decryption)
    {
        if (secret.Element(Pskc + "PlainValue") is { } plain)
        {
            return Base64(plain.Value, entry, "PlainValue");
        }

        if (secret.Element(Pskc + "EncryptedValue") is not { } encrypted)
        {
            throw new TokenFileException(entry, "the secret has neither a PlainValue nor an EncryptedValue");
        }

        if (key is null)
        {
            throw new TokenFileException(entry, "the secret is encrypted: give the pre-shared key or the password it is encrypted under");
        }

        var cipher = Base64(encrypted.Element(Xenc + "CipherData")?.Element(Xenc + "CipherValue")?.Value, entry, "CipherValue");
        var mac = secret.Element(Pskc + "ValueMAC")?.Value;
        if (mac is null && macKey is not null)
        {
            throw new TokenFileException(entry, "the encrypted secret has no ValueMAC although the file names a MACMethod");
        }

        if (mac is not null && macKey is not null && !decryption.IgnoreMacMismatch)
        {
            var expected = Base64(mac, entry, "ValueMAC");
            // RFC 6030 §6.1.1: the MAC is over the whole CipherValue, the IV included.
            if (!CryptographicOperations.FixedTimeEquals(HMACSHA1.HashData(macKey, cipher), expected))
            {
                throw new TokenFileException(entry, "the ValueMAC does not match: a wrong key or password, or a damaged file (nothing was imported)");
            }
        }

        return Decrypt(encrypted, cipher, key, entry);
    }

    private static byte[] Decrypt(XElement encrypted, byte[] cipher, byte[] key, string entry)
    {
        var method = (string?)encrypted.Element(Xenc + "EncryptionMethod")?.Attribute("Algorithm");
        var keyLength = method switch
        {
            "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => 16,
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => 24,
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => 32,
            _ => throw new TokenFileException(entry, $"unsupported encryption \"{method}\" (AES-CBC with 128, 192 or 256-bit keys)"),
        };
        if (key.Length != keyLength)
        {
            throw new TokenFileException(entry, $"the key is {key.Length * 8} bits where {method} needs {keyLength * 8}");
        }

        if (cipher.Length < 32 || cipher.Length % 16 != 0)
        {
            throw new TokenFileException(entry, "the CipherValue is not an IV and whole AES blocks");
        }

        try
        {
            using var aes = Aes.Create();
            aes.Key = key;
            // XML Encryption pads as ISO 10126 (the last byte counts the padding), which PKCS#7 padding also satisfies.
            return aes.DecryptCbc(cipher.AsSpan(16), cipher.AsSpan(0, 16), PaddingMode.ISO10126);
        }
        catch (CryptographicException e)
        {
            throw new TokenFileException(entry, "the secret cannot be decrypted: a wrong key or password", e);
        }
    }

    /// <summary>The file's encryption key (§6): the given pre-shared key, or one derived from the password as the file says.</summary>
    private static byte[]? EncryptionKey(XElement container, PskcDecryption decryption)
    {
        if (container.Element(Pskc + "EncryptionKey") is not { } encryptionKey)
        {
            return decryption.PreSharedKey;
        }

        if (encryptionKey.Element(Xenc11 + "DerivedKey") is not { } derived)
        {
            return decryption.PreSharedKey ?? throw new TokenFileException("file", $"its secrets are encrypted under the pre-shared key \"{(string?)encryptionKey.Element(Ds + "KeyName")}\": give that key");
        }

        if (decryption.Password is null)
        {
            throw new TokenFileException("file", "its secrets are encrypted under a password (PBKDF2): give the password");
        }

        var method = derived.Element(Xenc11 + "KeyDerivationMethod");
        if ((string?)method?.Attribute("Algorithm") != "http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2" || method.Element(Pkcs5 + "PBKDF2-params") is not { } parameters)
        {
            throw new TokenFileException("file", "the key derivation is not PBKDF2 (RFC 8018), the one RFC 6030 §6.2 names");
        }

        // The parameters' children are unqualified in RFC 6030's Figure 7, qualified in some vendors' files.
        XElement? Child(string name) => parameters.Element(name) ?? parameters.Element(Pkcs5 + name);
        var salt = Base64(Child("Salt")?.Element("Specified")?.Value ?? Child("Salt")?.Element(Pkcs5 + "Specified")?.Value, "file", "PBKDF2 Salt");
        var iterations = Integer(Child("IterationCount")?.Value, "file", "PBKDF2 IterationCount") ?? 0;
        var length = Integer(Child("KeyLength")?.Value, "file", "PBKDF2 KeyLength") ?? 16;
        if (iterations is < 1 or > TokenFileLimits.MaxPbkdf2Iterations || length is not (16 or 24 or 32))
        {
            throw new TokenFileException("file", $"PBKDF2 needs 1 to {TokenFileLimits.MaxPbkdf2Iterations} iterations and a 16, 24 or 32-byte key");
        }

        var prf = (string?)Child("PRF")?.Attribute("Algorithm");
        var hash = prf switch
        {
            null or "" => HashAlgorithmName.SHA1,
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256" => HashAlgorithmName.SHA256,
            "http://www.w3.org/2001/04/xmldsig-more#hmac-sha512" => HashAlgorithmName.SHA512,
            _ => throw new TokenFileException("file", $"unsupported PBKDF2 PRF \"{prf}\""),
        };
        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(decryption.Password), salt, (int)iterations, hash, (int)length);
    }

    /// <summary>The MAC key (§6.1.1): encrypted under the file's key; older files without one MAC with the encryption key itself.</summary>
    private static byte[]? MacKey(XElement container, byte[]? key)
    {
        if (container.Element(Pskc + "MACMethod") is not { } method)
        {
            return null;
        }

        if ((string?)method.Attribute("Algorithm") != "http://www.w3.org/2000/09/xmldsig#hmac-sha1")
        {
            throw new TokenFileException("file", $"unsupported MACMethod \"{(string?)method.Attribute("Algorithm")}\" (RFC 6030 §6.1.1: HMAC-SHA1)");
        }

        if (key is null)
        {
            return null;
        }

        if (method.Element(Pskc + "MACKey") is not { } macKey)
        {
            return key;
        }

        var cipher = Base64(macKey.Element(Xenc + "CipherData")?.Element(Xenc + "CipherValue")?.Value, "file", "MACKey CipherValue");
        return Decrypt(macKey, cipher, key, "file");
    }

    private static byte[] Base64(string? text, string entry, string what)
    {
        try
        {
            return text is null ? throw new TokenFileException(entry, $"{what} is missing") : Convert.FromBase64String(text.Trim());
        }
        catch (FormatException e)
        {
            throw new TokenFileException(entry, $"{what} is not Base64", e);
        }
    }
}
