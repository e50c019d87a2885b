using System.Net;

namespace Idp.Validation;

/// <summary>A validation client as loaded: its networks parsed and its policy read.</summary>
internal sealed record ValidationClient(string Name, IReadOnlyList<IPNetwork> Networks, string? Secret, PassPolicy Policy, bool Passthru)
{
    public bool Contains(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Networks.Any(n => n.Contains(plain));
    }

    public static PassPolicy? ParsePolicy(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "userstore" => PassPolicy.UserStore,
        "none" => PassPolicy.None,
        "challenge" => PassPolicy.Challenge,
        _ => null,
    };
}
