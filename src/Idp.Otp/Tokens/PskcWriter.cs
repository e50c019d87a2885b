using System.Globalization;
using System.Security.Cryptography;
using System.Xml;
using System.Xml.Linq;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Tokens;

/// <summary>
/// Writes tokens as a PSKC 1.0 file (RFC 6030) that <see cref="PskcReader"/> and other PSKC readers take back: each
/// token a KeyPackage with its serial, manufacturer, algorithm, digits, counter, time interval and drift. Secrets
/// are written only encrypted (§6.1): AES-128-CBC under the pre-shared key given, with a random MAC key (itself
/// encrypted under it) and each value's HMAC-SHA1 ValueMAC (§6.1.1). Without a key, no secret is written at all.
/// </summary>
public static class PskcWriter
{
    private static readonly XNamespace Pskc = "urn:ietf:params:xml:ns:keyprov:pskc";
    private static readonly XNamespace Ds = "http://www.w3.org/2000/09/xmldsig#";
    private static readonly XNamespace Xenc = "http://www.w3.org/2001/04/xmlenc#";

    public const int PreSharedKeyLength = 16;

    /// <param name="preSharedKey">16 bytes: the secrets are written encrypted under it. Null: no secret is written.</param>
    /// <param name="keyName">Names the pre-shared key in the file (ds:KeyName), so the receiver knows which to use.</param>
    public static void Write(Stream output, IEnumerable<TokenSeed> tokens, byte[]? preSharedKey, string keyName = "Pre-shared-key")
    {
        if (preSharedKey is not null && preSharedKey.Length != PreSharedKeyLength)
        {
            throw new ArgumentException($"the pre-shared key must be {PreSharedKeyLength} bytes (AES-128)", nameof(preSharedKey));
        }

        var container = new XElement(Pskc + "KeyContainer", new XAttribute("Version", "1.0"),
            new XAttribute(XNamespace.Xmlns + "ds", Ds), new XAttribute(XNamespace.Xmlns + "xenc", Xenc));
        byte[]? macKey = null;
        if (preSharedKey is not null)
        {
            macKey = RandomNumberGenerator.GetBytes(20);
            container.Add(
                new XElement(Pskc + "EncryptionKey", new XElement(Ds + "KeyName", keyName)),
                new XElement(Pskc + "MACMethod", new XAttribute("Algorithm", "http://www.w3.org/2000/09/xmldsig#hmac-sha1"),
                    new XElement(Pskc + "MACKey", Encrypted(macKey, preSharedKey).Elements())));
        }

        foreach (var token in tokens)
        {
            container.Add(Package(token, preSharedKey, macKey));
        }

        using var writer = XmlWriter.Create(output, new XmlWriterSettings { Indent = true, CloseOutput = false });
        new XDocument(new XDeclaration("1.0", "UTF-8", null), container).Save(writer);
    }

    private static XElement Package(TokenSeed token, byte[]? preSharedKey, byte[]? macKey)
    {
        var isTotp = token.Type == OtpDeviceType.Totp;
        var data = new XElement(Pskc + "Data");
        if (preSharedKey is not null && macKey is not null)
        {
            var encrypted = Encrypted(token.Secret, preSharedKey);
            var cipher = Convert.FromBase64String(encrypted.Element(Xenc + "CipherData")!.Element(Xenc + "CipherValue")!.Value);
            data.Add(new XElement(Pskc + "Secret", encrypted,
                new XElement(Pskc + "ValueMAC", Convert.ToBase64String(HMACSHA1.HashData(macKey, cipher)))));
        }

        data.Add(isTotp
            ? [Plain("TimeInterval", token.Period), Plain("TimeDrift", token.Drift)]
            : [Plain("Counter", token.Counter)]);
        var deviceInfo = new XElement(Pskc + "DeviceInfo");
        if (token.Manufacturer is { } manufacturer)
        {
            deviceInfo.Add(new XElement(Pskc + "Manufacturer", manufacturer));
        }

        deviceInfo.Add(new XElement(Pskc + "SerialNo", token.Serial));
        var key = new XElement(Pskc + "Key", new XAttribute("Id", token.Serial),
            new XAttribute("Algorithm", isTotp ? "urn:ietf:params:xml:ns:keyprov:pskc:totp" : "urn:ietf:params:xml:ns:keyprov:pskc:hotp"));
        if (token.Issuer is { } issuer)
        {
            key.Add(new XElement(Pskc + "Issuer", issuer));
        }

        key.Add(new XElement(Pskc + "AlgorithmParameters",
                new XElement(Pskc + "Suite", $"HMAC-{OtpHashAlgorithmNames.ToName(token.Algorithm)}"),
                new XElement(Pskc + "ResponseFormat", new XAttribute("Length", token.Digits), new XAttribute("Encoding", "DECIMAL"))),
            data);
        return new XElement(Pskc + "KeyPackage", deviceInfo, key);
    }

    private static XElement Plain(string name, long value)
        => new(Pskc + name, new XElement(Pskc + "PlainValue", value.ToString(CultureInfo.InvariantCulture)));

    /// <summary>XML Encryption AES-128-CBC: a random IV, then the ciphertext, in one CipherValue (RFC 6030 §6.1).</summary>
    private static XElement Encrypted(byte[] plaintext, byte[] key)
    {
        using var aes = Aes.Create();
        aes.Key = key;
        var iv = RandomNumberGenerator.GetBytes(16);
        var cipher = aes.EncryptCbc(plaintext, iv, PaddingMode.PKCS7);
        return new XElement(Pskc + "EncryptedValue",
            new XElement(Xenc + "EncryptionMethod", new XAttribute("Algorithm", "http://www.w3.org/2001/04/xmlenc#aes128-cbc")),
            new XElement(Xenc + "CipherData", new XElement(Xenc + "CipherValue", Convert.ToBase64String([.. iv, .. cipher]))));
    }
}
