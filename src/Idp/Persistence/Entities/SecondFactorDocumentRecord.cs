namespace Idp.Persistence.Entities;

/// <summary>
/// A user's second-factor document: LemonLDAP::NG's <c>_2fDevices</c> JSON array, secrets encrypted. <see cref="Version"/>
/// makes every write a compare-and-set, which is what makes a one-time code single-use across nodes.
/// </summary>
public sealed class SecondFactorDocumentRecord
{
    public required string UserId { get; set; }

    public required string DevicesJson { get; set; }

    public long Version { get; set; }

    public DateTime UpdatedAt { get; set; }
}
