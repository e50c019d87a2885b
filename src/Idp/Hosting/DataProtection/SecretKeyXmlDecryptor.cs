using System.Text;
using System.Xml.Linq;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Idp.Hosting.DataProtection;

/// <summary>Reverses <see cref="SecretKeyXmlEncryptor"/>. Data protection creates it by type, with the service provider.</summary>
internal sealed class SecretKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var protector = services.GetRequiredService<SecretProtector>();
        if (!protector.TryUnprotect(encryptedElement.Value, SecretKeyXmlEncryptor.Purpose, out var xml))
        {
            throw new InvalidOperationException("A data-protection key in the database cannot be decrypted with the configured Idp:Secrets key.");
        }

        return XElement.Parse(Encoding.UTF8.GetString(xml));
    }
}
