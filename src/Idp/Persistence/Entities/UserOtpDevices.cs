namespace Idp.Persistence.Entities;

/// <summary>
/// A user's <c>_2fDevices</c> JSON array (LemonLDAP::NG's format, seeds encrypted). <see cref="Version"/> makes every
/// write a compare-and-set, which is what makes a TOTP step single-use across nodes.
/// </summary>
public sealed class UserOtpDevices
{
    public required string UserId { get; set; }

    public required string DevicesJson { get; set; }

    public long Version { get; set; }

    public DateTime UpdatedAt { get; set; }
}
