namespace Idp.Otp.Devices;

/// <summary>Device names: letters, digits, spaces, '_' and '-'; at most <c>Otp:DeviceNameMaxLength</c> characters; unique per user, ignoring case.</summary>
public static class DeviceNameRules
{
    public const string DefaultName = "MyTOTP";

    /// <summary>Returns null when the name is acceptable, otherwise a message to show the user.</summary>
    public static string? Validate(string? name, int maxLength, IEnumerable<OtpDevice> existing, string? exceptDeviceId = null)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "Give the device a name.";
        }

        if (trimmed.Length > maxLength)
        {
            return $"The device name must be at most {maxLength} characters.";
        }

        if (!trimmed.All(c => char.IsLetterOrDigit(c) || c is ' ' or '_' or '-'))
        {
            return "The device name may contain only letters, digits, spaces, '_' and '-'.";
        }

        if (existing.Any(d => d.Id != exceptDeviceId && SameName(d.Name, trimmed)))
        {
            return "You already have a device with this name.";
        }

        return null;
    }

    public static bool SameName(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
