using System.Globalization;
using System.Text;

namespace Idp.UserStores.Ldap;

/// <summary>Reading distinguished names (RFC 4514).</summary>
internal static class LdapNames
{
    /// <summary>
    /// A DN in one spelling for comparison (RFC 4514 allows several): RDNs split at unescaped commas, spaces around
    /// them and around '=' dropped, everything lower-cased (the attributes groups are named by compare without case).
    /// </summary>
    public static string Normalize(string dn)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < dn.Length; i++)
        {
            if (dn[i] == '\\' && i + 1 < dn.Length)
            {
                current.Append(dn[i]).Append(dn[++i]);
            }
            else if (dn[i] == ',')
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(dn[i]);
            }
        }

        parts.Add(current.ToString());
        return string.Join(',', parts.Select(p => string.Join('=', p.Split('=', 2).Select(x => x.Trim())))).ToLowerInvariant();
    }

    /// <summary>The value of a DN's first RDN, unescaped: <c>cn=VPN users,ou=groups,dc=example</c> gives <c>VPN users</c>.</summary>
    public static string FirstValue(string dn)
    {
        var equals = dn.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            return dn;
        }

        var value = new StringBuilder();
        for (var i = equals + 1; i < dn.Length; i++)
        {
            var c = dn[i];
            if (c is ',' or '+')
            {
                break;
            }

            if (c == '\\' && i + 1 < dn.Length)
            {
                // RFC 4514 §2.4: a backslash before a special character, or two hex digits.
                if (i + 2 < dn.Length && byte.TryParse(dn.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var octet))
                {
                    value.Append((char)octet);
                    i += 2;
                }
                else
                {
                    value.Append(dn[++i]);
                }

                continue;
            }

            value.Append(c);
        }

        return value.ToString().Trim();
    }
}
