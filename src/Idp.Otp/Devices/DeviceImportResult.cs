namespace Idp.Otp.Devices;

/// <summary>Either the user's new device array (every entry accepted) or the reasons nothing was imported.</summary>
public sealed record DeviceImportResult(OtpDeviceDocument? Document, IReadOnlyList<string> Errors, int ImportedCount)
{
    public bool Succeeded => Document is not null && Errors.Count == 0;
}
