using Microsoft.Extensions.Primitives;

namespace Idp.Oidc.Protocol;

/// <summary>
/// Request parameters read once, with the rules every endpoint shares: each parameter at most once (RFC 6749 §3.1,
/// §3.2: "Request and response parameters MUST NOT be included more than once"), empty values treated as absent
/// (RFC 6749 §3.1), and a length limit on every value.
/// </summary>
public sealed class ProtocolParameters
{
    public const int DefaultMaxLength = 2048;

    private readonly Dictionary<string, string> _values;

    private ProtocolParameters(Dictionary<string, string> values, string? duplicate, string? tooLong)
    {
        _values = values;
        Duplicate = duplicate;
        TooLong = tooLong;
    }

    /// <summary>The first parameter found more than once, if any.</summary>
    public string? Duplicate { get; }

    /// <summary>The first parameter longer than its limit, if any.</summary>
    public string? TooLong { get; }

    public IReadOnlyDictionary<string, string> Values => _values;

    public static ProtocolParameters From(IEnumerable<KeyValuePair<string, StringValues>> source, IReadOnlyDictionary<string, int>? limits = null)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? duplicate = null, tooLong = null;
        foreach (var (name, value) in source)
        {
            if (value.Count > 1)
            {
                duplicate ??= name;
                continue;
            }

            var text = value.ToString();
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            var max = limits is not null && limits.TryGetValue(name, out var limit) ? limit : DefaultMaxLength;
            if (text.Length > max)
            {
                tooLong ??= name;
                continue;
            }

            values[name] = text;
        }

        return new ProtocolParameters(values, duplicate, tooLong);
    }

    public static ProtocolParameters FromDictionary(IReadOnlyDictionary<string, string> values)
        => new(new Dictionary<string, string>(values, StringComparer.Ordinal), null, null);

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public bool Has(string name) => _values.ContainsKey(name);
}
