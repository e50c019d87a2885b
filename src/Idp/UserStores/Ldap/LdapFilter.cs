using System.Text;

namespace Idp.UserStores.Ldap;

/// <summary>Search filters built from what people type, never changed by it (RFC 4515 §3).</summary>
internal static class LdapFilter
{
    /// <summary>
    /// A value for an equality match: <c>*</c>, <c>(</c>, <c>)</c>, <c>\</c> and NUL become <c>\2a</c>, <c>\28</c>,
    /// <c>\29</c>, <c>\5c</c>, <c>\00</c> (RFC 4515 §3, "the octets that MUST be escaped"), so a login can neither
    /// end the filter nor turn into a wildcard.
    /// </summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            _ = c switch
            {
                '*' => escaped.Append("\\2a"),
                '(' => escaped.Append("\\28"),
                ')' => escaped.Append("\\29"),
                '\\' => escaped.Append("\\5c"),
                '\0' => escaped.Append("\\00"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }

    /// <summary><c>(&amp;userFilter(|(a1=login)(a2=login)))</c>: a person of the store whose any login attribute is the login.</summary>
    public static string ForLogin(string userFilter, IEnumerable<string> loginAttributes, string login)
    {
        var value = Escape(login);
        return $"(&{userFilter}(|{string.Concat(loginAttributes.Select(a => $"({a}={value})"))}))";
    }

    /// <summary>
    /// <c>(&amp;userFilter(|(a1=*text*)(a2=*text*)))</c>: a person of the store whose any of the attributes contains the
    /// text (RFC 4515 substrings, the text escaped); with no text, whoever has the first attribute.
    /// </summary>
    public static string ForSearch(string userFilter, IReadOnlyList<string> attributes, string text)
    {
        if (text.Length == 0)
        {
            return $"(&{userFilter}({attributes[0]}=*))";
        }

        var value = Escape(text);
        return $"(&{userFilter}(|{string.Concat(attributes.Select(a => $"({a}=*{value}*)"))}))";
    }

    /// <summary>One parenthesised filter whose parentheses balance: a configured filter cannot swallow the login match.</summary>
    public static bool IsBalanced(string? filter)
    {
        if (string.IsNullOrWhiteSpace(filter) || filter[0] != '(' || filter[^1] != ')')
        {
            return false;
        }

        var depth = 0;
        for (var i = 0; i < filter.Length; i++)
        {
            depth += filter[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth < 0 || (depth == 0 && i < filter.Length - 1))
            {
                return false;
            }
        }

        return depth == 0;
    }
}
