using System.Text.Json;
using System.Text.Json.Nodes;
using Idp.Otp.Abstractions;
using Idp.Otp.Codecs;
using Idp.Otp.Devices;
using Idp.Otp.Enrollment;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.SecondFactors;
using Microsoft.Extensions.Options;

namespace Idp.Otp.Transfer;

/// <summary>TOTP keys an administrator gives (a Base32 key, with this deployment's digits, period and algorithm) or takes (a <c>_2fDevices</c> export).</summary>
public sealed class OtpKeys(IOtpDeviceStore store, ISecretProtector protector, IOptionsMonitor<OtpOptions> options, TimeProvider time) : ISecondFactorKeys
{
    /// <summary>RFC 4226 §4 R6: a shared secret of at least 128 bits.</summary>
    public const int MinSecretBytes = 16;

    public string Type => "TOTP";

    public async Task<KeyAddition> AddAsync(string userId, string? name, string? key, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        var compact = key?.Replace(" ", string.Empty, StringComparison.Ordinal);
        if (!Base32.TryDecode(compact, out var seed) || seed.Length < MinSecretBytes)
        {
            return new KeyAddition(null, $"The key must be Base32 (RFC 4648: letters A-Z and digits 2-7) of at least {MinSecretBytes} bytes ({MinSecretBytes * 8} bits, RFC 4226 §4).");
        }

        var update = await store.UpdateAsync(userId, stored =>
        {
            if (DeviceNameRules.Validate(name, settings.DeviceNameMaxLength, stored.Document.Devices) is { } nameError)
            {
                return DocumentEdit<KeyAddition>.Stop(new KeyAddition(null, nameError));
            }

            if (stored.Document.Devices.Count >= settings.MaxDevices)
            {
                return DocumentEdit<KeyAddition>.Stop(new KeyAddition(null, $"The user already has {settings.MaxDevices} devices (Otp:MaxDevices).", Conflict: true));
            }

            var device = new OtpDevice
            {
                Id = OtpSecretGenerator.NewDeviceId(),
                Type = OtpDeviceType.Totp,
                Name = name!.Trim(),
                Epoch = time.GetUtcNow().ToUnixTimeSeconds(),
                Secret = protector.Protect(seed, OtpSecretPurposes.OtpSeed),
                Algorithm = settings.ParsedAlgorithm,
                Digits = settings.Digits,
                Period = settings.Interval,
            };
            return DocumentEdit<KeyAddition>.Write(stored.Document.Add(device), new KeyAddition(device.Id, null));
        }, cancellationToken);
        return update.Answer ?? new KeyAddition(null, "The user's devices kept changing meanwhile; nothing was added. Try again.", Conflict: true);
    }

    /// <summary>
    /// Without <paramref name="includeSecrets"/> the <c>_secret</c> fields are left out; with it they are decrypted to
    /// Base32, which needs the secret key that encrypted them.
    /// </summary>
    public async Task<(string? Json, string? Error)> ExportAsync(string userId, bool includeSecrets, CancellationToken cancellationToken)
    {
        var stored = await store.LoadAsync(userId, cancellationToken);
        var exported = new List<OtpDevice>();
        foreach (var device in stored.Document.Devices)
        {
            // A hardware token's seed leaves only through the pool's export, encrypted under a pre-shared key.
            if (!includeSecrets || device.Serial is not null)
            {
                exported.Add(device with { Secret = string.Empty });
                continue;
            }

            if (!protector.TryUnprotect(device.Secret, OtpSecretPurposes.OtpSeed, out var seed))
            {
                return (null, $"the key of device {device.Id} cannot be decrypted with the configured Idp:Secrets key");
            }

            exported.Add(device with { Secret = Base32.Encode(seed) });
        }

        var json = OtpDeviceJson.Write(stored.Document with { Devices = exported });
        return (includeSecrets ? json : WithoutSecrets(json), null);
    }

    public async Task<(int Imported, string? Problem)> ImportAsync(string userId, string json, string? sourceKey, CancellationToken cancellationToken)
    {
        var importer = new DeviceImporter(protector, options.CurrentValue, time);
        var cipher = sourceKey is null ? null : new LemonLdapCipher(sourceKey);

        // All or none, on the version read: a device added meanwhile is imported beside, never overwritten.
        var update = await store.UpdateAsync(userId, stored =>
        {
            var result = importer.Import(json, stored.Document, cipher);
            return result.Succeeded
                ? DocumentEdit<(int, string?)>.Write(result.Document!, (result.ImportedCount, null))
                : DocumentEdit<(int, string?)>.Stop((0, string.Join("; ", result.Errors)));
        }, cancellationToken);
        return update.Contended ? (0, "the user's devices changed meanwhile; run the command again") : update.Answer;
    }

    public async Task<(int Reencrypted, string? Problem)> ReencryptAsync(string userId, CancellationToken cancellationToken)
    {
        // A lost race (someone signed in meanwhile) is simply redone, more patiently than an interactive edit.
        var update = await store.UpdateAsync(userId, stored =>
        {
            var document = stored.Document;
            var changed = 0;
            foreach (var device in stored.Document.Devices.Where(d => protector.KeyIdOf(d.Secret) != protector.CurrentKeyId))
            {
                if (!protector.TryUnprotect(device.Secret, OtpSecretPurposes.OtpSeed, out var seed))
                {
                    return DocumentEdit<(int, string?)>.Stop((0, $"device {device.Id} of user {userId} cannot be decrypted with the configured keys; add its key to Idp:Secrets:PreviousKeyFiles"));
                }

                document = document.Replace(device with { Secret = protector.Protect(seed, OtpSecretPurposes.OtpSeed) });
                changed++;
            }

            return changed == 0 ? DocumentEdit<(int, string?)>.Stop((0, null)) : DocumentEdit<(int, string?)>.Write(document, (changed, null));
        }, cancellationToken, attempts: 10);
        return update.Contended ? (0, $"the devices of user {userId} kept changing; run the command again") : update.Answer;
    }

    /// <summary>A document this plugin cannot read holds no key of its own (the reader's errors are the sign-in's business).</summary>
    public IEnumerable<string> StoredKeysIn(string documentJson)
        => OtpDeviceJson.TryRead(documentJson, out var document, out _) ? document.Devices.Select(d => d.Secret).Where(s => !string.IsNullOrEmpty(s)) : [];

    private static string WithoutSecrets(string json)
    {
        var array = JsonNode.Parse(json)!.AsArray();
        foreach (var entry in array.OfType<JsonObject>())
        {
            entry.Remove("_secret");
        }

        return array.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
