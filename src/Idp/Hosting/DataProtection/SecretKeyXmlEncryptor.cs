using System.Text;
using System.Xml.Linq;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Idp.Hosting.DataProtection;

/// <summary>
/// Encrypts data-protection keys under the application secret key before they reach the database, so a copy of
/// the database alone cannot forge cookies.
/// </summary>
internal sealed class SecretKeyXmlEncryptor(SecretProtector protector) : IXmlEncryptor
{
    public const string ElementName = "idpEncryptedKey";
    public const string Purpose = "data-protection-key";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var xml = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var element = new XElement(ElementName, protector.Protect(xml, Purpose));
        return new EncryptedXmlInfo(element, typeof(SecretKeyXmlDecryptor));
    }
}
