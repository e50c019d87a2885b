using Idp.Otp.Devices;

namespace Idp.Admin;

/// <summary>A device as administrators see it: never its secret.</summary>
public sealed record DeviceView(string Id, string Name, string Type, DateTimeOffset Registered, DateTimeOffset? LastUsed, DateTimeOffset? Expires)
{
    public static DeviceView From(OtpDevice device, long? ttlSeconds) => new(
        device.Id,
        device.Name,
        device.Type.ToString().ToUpperInvariant(),
        device.RegisteredAt,
        device.LastUsed is { } used ? DateTimeOffset.FromUnixTimeSeconds(used) : null,
        device.ExpiresAt(ttlSeconds));
}
