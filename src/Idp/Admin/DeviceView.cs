using Idp.SecondFactors;

namespace Idp.Admin;

/// <summary>A credential as administrators see it, of whatever kind: never its secret.</summary>
public sealed record DeviceView(string Id, string Name, string Type, DateTimeOffset Registered, DateTimeOffset? LastUsed, DateTimeOffset? Expires)
{
    public static DeviceView From(SecondFactorCredential credential, string kindLabel) => new(
        credential.Id,
        credential.Name,
        credential.Variant ?? kindLabel,
        credential.RegisteredAt,
        credential.LastUsedAt,
        credential.ExpiresAt);
}
