using Idp.SecondFactors;
using Idp.Otp.Codecs;
using Idp.Otp.Options;
using Idp.Otp.Secrets;

namespace Idp.Otp.Devices;

/// <summary>
/// Imports a LemonLDAP::NG <c>_2fDevices</c> array into a user's devices: every entry is validated, secrets
/// (plain Base32 or <c>{llngcrypt}</c>) are decrypted and re-encrypted under our key, and either all entries are
/// added or none.
/// </summary>
public sealed class DeviceImporter(ISecretProtector protector, OtpOptions options, TimeProvider time)
{
    /// <summary>RFC 4226 §4 R6: the shared secret MUST be at least 128 bits.</summary>
    public const int MinSeedBytes = 16;

    /// <summary>How far ahead of our clock an imported time may be: the other server's clock may run a little fast.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// RFC 4226 §5.1 allows 8 bytes, but no token is pressed 2^48 times; a larger counter is a corrupt record, and
    /// near the top the look-ahead window would overflow.
    /// </summary>
    public const long MaxCounter = 1L << 48;

    public DeviceImportResult Import(string json, OtpDeviceDocument existing, LemonLdapCipher? lemonLdapCipher)
    {
        if (!OtpDeviceJson.TryRead(json, out var incoming, out var readErrors))
        {
            return new DeviceImportResult(null, readErrors, 0);
        }

        var errors = new List<string>();
        if (incoming.Devices.Count == 0)
        {
            errors.Add("the file holds no TOTP or HOTP record");
        }

        if (existing.Devices.Count + incoming.Devices.Count > options.MaxDevices)
        {
            errors.Add($"the user would have {existing.Devices.Count + incoming.Devices.Count} devices; at most {options.MaxDevices} are allowed (Otp:MaxDevices)");
        }

        var result = existing;
        foreach (var (device, index) in incoming.Devices.Select((d, i) => (d, i + 1)))
        {
            var nameError = DeviceNameRules.Validate(device.Name, options.DeviceNameMaxLength, result.Devices);
            if (nameError is not null)
            {
                errors.Add($"record {index} (\"{device.Name}\"): {nameError}");
                continue;
            }

            if (TimeProblem(device) is { } timeError)
            {
                errors.Add($"record {index} (\"{device.Name}\"): {timeError}");
                continue;
            }

            if (device.Serial is not null || device.Disabled || device.Drift != 0)
            {
                // A hardware token lives in the pool, which alone assigns, disables, resynchronises and takes it back.
                errors.Add($"record {index} (\"{device.Name}\"): a hardware token (\"serial\", \"disabled\" or \"drift\"): import it into the pool (tokens import)");
                continue;
            }

            if (result.Devices.Any(d => d.Id == device.Id))
            {
                errors.Add($"record {index} (\"{device.Name}\"): a device with id \"{device.Id}\" already exists");
                continue;
            }

            if (!TryReadSeed(device.Secret, lemonLdapCipher, out var seed, out var secretError))
            {
                errors.Add($"record {index} (\"{device.Name}\"): {secretError}");
                continue;
            }

            result = result.Add(device with { Secret = protector.Protect(seed, OtpSecretPurposes.OtpSeed) });
        }

        return errors.Count > 0
            ? new DeviceImportResult(null, errors, 0)
            : new DeviceImportResult(result, [], incoming.Devices.Count);
    }

    /// <summary>
    /// Times from another system are trusted only up to our clock: a future <c>epoch</c> would dodge <c>Otp:Ttl</c>,
    /// a future <c>lastUsed</c> or <c>lastStep</c> would refuse every code until then.
    /// </summary>
    private string? TimeProblem(OtpDevice device)
    {
        var latest = (time.GetUtcNow() + ClockSkew).ToUnixTimeSeconds();
        if (device.Epoch > latest)
        {
            return $"\"epoch\" {device.Epoch} is in the future (it must lie between 0 and now)";
        }

        if (device.LastUsed > latest)
        {
            return $"\"lastUsed\" {device.LastUsed} is in the future (it must lie between 0 and now)";
        }

        if (device.LastStep is { } step && step > latest / Math.Max(1, device.Period))
        {
            return $"\"lastStep\" {step} is a time step in the future";
        }

        return device.Counter > MaxCounter ? $"\"counter\" {device.Counter} is beyond any real token's count (at most {MaxCounter})" : null;
    }

    private bool TryReadSeed(string secret, LemonLdapCipher? cipher, out byte[] seed, out string? error)
    {
        seed = [];
        var base32 = secret;
        if (LemonLdapCipher.IsEncrypted(secret))
        {
            if (cipher is null)
            {
                error = "the secret is {llngcrypt}-encrypted; supply the LemonLDAP::NG key to import it";
                return false;
            }

            if (!cipher.TryDecrypt(secret, out base32))
            {
                error = "the {llngcrypt} secret does not decrypt with the LemonLDAP::NG key given";
                return false;
            }
        }
        else if (protector.IsProtected(secret))
        {
            error = "the secret is encrypted by an Idp installation; export it with its secrets in clear to import it here";
            return false;
        }

        if (!Base32.TryDecode(base32, out seed))
        {
            error = "the secret is not Base32 (RFC 4648)";
            return false;
        }

        if (seed.Length < MinSeedBytes)
        {
            error = $"the secret is {seed.Length} bytes; at least {MinSeedBytes} are required (RFC 4226 §4)";
            return false;
        }

        error = null;
        return true;
    }
}
