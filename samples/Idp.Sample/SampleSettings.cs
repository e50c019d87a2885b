namespace Idp.Sample;

/// <summary>The <c>Idp</c> section: where Idp is and who this application is to it.</summary>
public sealed class SampleSettings
{
    /// <summary>Idp's issuer, e.g. <c>https://idp.example.com</c>; its discovery document is read from there.</summary>
    public string Authority { get; set; } = string.Empty;

    public string ClientId { get; set; } = string.Empty;

    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Only for a local Idp on plain http (a development machine, the tests): never turn it off in production.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
