using Idp.Persistence.Entities;

namespace Idp.Admin;

/// <summary>Everything an administrator's user page shows.</summary>
public sealed record UserOverview(
    IdpUser User,
    IReadOnlyList<string> Roles,
    IReadOnlyList<DeviceView> Devices,
    DateTimeOffset? LockedUntil,
    int OtpFailures,
    DateTime? OtpLockedUntil,
    int Sessions,
    IReadOnlyList<AuditEvent> RecentEvents);
