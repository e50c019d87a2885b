using System.Text.Json.Nodes;

namespace Idp.Otp.Devices;

/// <summary>
/// A user's <c>_2fDevices</c> array: the OTP devices this plugin uses, and every other entry (U2F, WebAuthn, ...)
/// kept untouched so that writing the array back loses nothing.
/// </summary>
public sealed record OtpDeviceDocument(IReadOnlyList<OtpDevice> Devices, IReadOnlyList<JsonObject> OtherEntries)
{
    public static OtpDeviceDocument Empty { get; } = new([], []);

    public OtpDevice? Find(string idOrName)
        => Devices.FirstOrDefault(d => string.Equals(d.Id, idOrName, StringComparison.Ordinal))
        ?? Devices.FirstOrDefault(d => DeviceNameRules.SameName(d.Name, idOrName));

    public OtpDeviceDocument Replace(OtpDevice device)
        => this with { Devices = [.. Devices.Select(d => d.Id == device.Id ? device : d)] };

    public OtpDeviceDocument Add(OtpDevice device) => this with { Devices = [.. Devices, device] };

    public OtpDeviceDocument Remove(string id) => this with { Devices = [.. Devices.Where(d => d.Id != id)] };
}
