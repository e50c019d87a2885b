namespace Idp.Persistence.Entities;

/// <summary>One ASP.NET Core data-protection key, as XML encrypted under the application secret key.</summary>
public sealed class DataProtectionKeyRecord
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public required string Xml { get; set; }
}
