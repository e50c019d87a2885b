using System.Xml;
using System.Xml.Linq;
using Idp.Hosting.DataProtection;
using Idp.Persistence.Entities;
using Idp.SecondFactors;

namespace Idp.Backup;

/// <summary>
/// The stored secrets of an archived row, from the columns that hold them and nowhere else: a value someone typed
/// (an authorize request's <c>state</c>, a device name, an audit detail) that merely looks like one never makes a
/// restore refuse.
/// </summary>
internal sealed class ArchivedSecrets(IEnumerable<ISecondFactorKeys> kinds)
{
    public IEnumerable<string> In(object row) => row switch
    {
        HardwareTokenRecord token => [token.Secret],
        PendingSignIn pending => pending.EnrollmentSecret is { } secret ? [secret] : [],
        SigningKeyRecord key => [key.ProtectedPrivateKey],
        DataProtectionKeyRecord record => EncryptedKeys(record.Xml),
        SecondFactorDocumentRecord document => kinds.SelectMany(k => k.StoredKeysIn(document.DevicesJson)),
        _ => [],
    };

    private static IEnumerable<string> EncryptedKeys(string xml)
    {
        try
        {
            return XElement.Parse(xml).Descendants(SecretKeyXmlEncryptor.ElementName).Select(e => e.Value).ToList();
        }
        catch (XmlException)
        {
            return [];
        }
    }
}
