using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Idp.Otp.Algorithms;
using Idp.Otp.Tokens;

namespace Idp.Otp.Devices;

/// <summary>
/// Reads and writes the <c>_2fDevices</c> JSON array. Reads records exactly as LemonLDAP::NG writes them
/// (<c>epoch</c> as number or string, lower-case secrets, unknown fields); writes LemonLDAP::NG's four fields first,
/// then ours, then whatever else the record carried.
/// </summary>
public static class OtpDeviceJson
{
    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "type", "name", "epoch", "_secret", "id", "algorithm", "digits", "period", "counter", "lastStep", "lastUsed",
        "drift", "serial", "disabled",
    };

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 16 };

    public static string Write(OtpDeviceDocument document)
    {
        var array = new JsonArray();
        foreach (var device in document.Devices)
        {
            array.Add(ToJson(device));
        }

        foreach (var other in document.OtherEntries)
        {
            array.Add(other.DeepClone());
        }

        return array.ToJsonString();
    }

    /// <summary>The last second of year 9999: beyond it no date can be made of a time, and every page would fail.</summary>
    public const long MaxUnixSeconds = 253_402_300_799;

    /// <summary>
    /// The largest counter or step a record may hold: beyond any real token (imports stop at 2^48), and far enough
    /// from long.MaxValue that the verifier's counter arithmetic (a look-ahead, the next counter) never overflows.
    /// </summary>
    public const long MaxStored = 1L << 62;

    /// <summary>A token clock more than a day of 30-second steps off is broken, not drifting.</summary>
    public const int MaxDrift = 2880;

    /// <summary>Parses the array; every problem is reported with the entry's position, and nothing is returned unless all entries are sound.</summary>
    public static bool TryRead(string? json, out OtpDeviceDocument document, out IReadOnlyList<string> errors)
    {
        document = OtpDeviceDocument.Empty;
        var problems = new List<string>();
        errors = problems;
        if (string.IsNullOrWhiteSpace(json))
        {
            return true;
        }

        // JsonDocument rather than JsonNode: this runs on every code check, and only unknown fields need nodes.
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException ex)
        {
            problems.Add($"not valid JSON: {ex.Message}");
            return false;
        }

        using (parsed)
        {
            if (parsed.RootElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add("expected a JSON array of device records");
                return false;
            }

            var devices = new List<OtpDevice>();
            var others = new List<JsonObject>();
            var position = 0;
            foreach (var entry in parsed.RootElement.EnumerateArray())
            {
                position++;
                if (entry.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"entry {position}: expected a JSON object");
                    continue;
                }

                if (!TryParseType(ReadString(entry, "type"), out var deviceType))
                {
                    // Not ours (U2F, WebAuthn, ...): kept verbatim.
                    others.Add(JsonNode.Parse(entry.GetRawText())!.AsObject());
                    continue;
                }

                if (TryReadDevice(entry, deviceType, position, problems) is { } device)
                {
                    devices.Add(device);
                }
            }

            foreach (var id in devices.GroupBy(d => d.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key))
            {
                problems.Add($"two entries share the id \"{id}\"");
            }

            if (problems.Count > 0)
            {
                return false;
            }

            document = new OtpDeviceDocument(devices, others);
            return true;
        }
    }

    private static OtpDevice? TryReadDevice(JsonElement entry, OtpDeviceType type, int position, List<string> problems)
    {
        var before = problems.Count;
        void Problem(string message) => problems.Add($"entry {position}: {message}");

        var name = ReadString(entry, "name");
        if (string.IsNullOrWhiteSpace(name))
        {
            Problem("\"name\" is missing");
        }

        var secret = ReadString(entry, "_secret");
        if (string.IsNullOrWhiteSpace(secret))
        {
            Problem("\"_secret\" is missing");
        }

        if (!TryReadLong(entry, "epoch", out var epoch) || epoch is null or < 0 or > MaxUnixSeconds)
        {
            Problem("\"epoch\" must be a number of seconds since 1970 (a number or a string of digits)");
        }

        var algorithm = OtpHashAlgorithm.Sha1;
        if (ReadString(entry, "algorithm") is { } algorithmName && !OtpHashAlgorithmNames.TryParse(algorithmName, out algorithm))
        {
            Problem($"\"algorithm\" must be SHA1, SHA256 or SHA512 (got \"{algorithmName}\")");
        }

        var digits = ReadInt(entry, "digits", 6, Hotp.MinDigits, Hotp.MaxDigits, Problem);
        var period = ReadInt(entry, "period", 30, Totp.MinPeriod, Totp.MaxPeriod, Problem);
        if (!TryReadLong(entry, "counter", out var counter) || counter is < 0 or > MaxStored)
        {
            Problem($"\"counter\" must be a whole number from 0 to {MaxStored}");
        }

        if (!TryReadLong(entry, "lastStep", out var lastStep) || lastStep is < 0 or > MaxStored)
        {
            Problem("\"lastStep\" must be a whole number of at least 0");
        }

        if (!TryReadLong(entry, "lastUsed", out var lastUsed) || lastUsed is < 0 or > MaxUnixSeconds)
        {
            Problem("\"lastUsed\" must be a number of seconds since 1970");
        }

        var drift = ReadInt(entry, "drift", 0, -MaxDrift, MaxDrift, Problem);
        var serial = ReadString(entry, "serial");
        if (serial is not null && !TokenSerials.IsValid(serial))
        {
            Problem($"\"serial\" must be {TokenSerials.Rule}");
        }

        var disabled = false;
        if (entry.TryGetProperty("disabled", out var disabledValue) && !TryReadBool(disabledValue, out disabled))
        {
            Problem("\"disabled\" must be true or false");
        }

        var id = ReadString(entry, "id");
        if (id is not null && (id.Length is 0 or > 64 || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            Problem("\"id\" must be 1 to 64 letters, digits, '-' or '_'");
        }

        if (problems.Count > before)
        {
            return null;
        }

        JsonObject? extra = null;
        foreach (var property in entry.EnumerateObject())
        {
            if (!KnownFields.Contains(property.Name))
            {
                extra ??= [];
                extra[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }
        }

        return new OtpDevice
        {
            Id = id ?? DerivedId(type, epoch!.Value, name!),
            Type = type,
            Name = name!.Trim(),
            Epoch = epoch!.Value,
            Secret = secret!.Trim(),
            Algorithm = algorithm,
            Digits = digits,
            Period = period,
            Counter = counter ?? 0,
            LastStep = lastStep,
            LastUsed = lastUsed,
            Drift = drift,
            Serial = serial,
            Disabled = disabled,
            Extra = extra,
        };
    }

    private static JsonObject ToJson(OtpDevice device)
    {
        var json = new JsonObject
        {
            ["type"] = device.Type == OtpDeviceType.Totp ? "TOTP" : "HOTP",
            ["name"] = device.Name,
            ["epoch"] = device.Epoch,
            ["_secret"] = device.Secret,
            ["id"] = device.Id,
            ["algorithm"] = OtpHashAlgorithmNames.ToName(device.Algorithm),
            ["digits"] = device.Digits,
        };
        if (device.Type == OtpDeviceType.Totp)
        {
            json["period"] = device.Period;
        }
        else
        {
            json["counter"] = device.Counter;
        }

        if (device.LastStep is { } lastStep)
        {
            json["lastStep"] = lastStep;
        }

        if (device.LastUsed is { } lastUsed)
        {
            json["lastUsed"] = lastUsed;
        }

        if (device.Drift != 0)
        {
            json["drift"] = device.Drift;
        }

        if (device.Serial is { } serial)
        {
            json["serial"] = serial;
        }

        if (device.Disabled)
        {
            json["disabled"] = true;
        }

        foreach (var (key, value) in device.Extra ?? [])
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }

    /// <summary>LemonLDAP::NG records have no id; derive one from what identifies them, so reading the same record twice gives the same id.</summary>
    private static string DerivedId(OtpDeviceType type, long epoch, string name)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{type}|{epoch}|{name.Trim()}"));
        return "llng-" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static bool TryParseType(string? type, out OtpDeviceType deviceType)
    {
        switch (type?.ToUpperInvariant())
        {
            case "TOTP": deviceType = OtpDeviceType.Totp; return true;
            case "HOTP": deviceType = OtpDeviceType.Hotp; return true;
            default: deviceType = default; return false;
        }
    }

    private static bool TryReadBool(JsonElement value, out bool result)
    {
        result = value.ValueKind == JsonValueKind.True;
        return value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null;
    }

    private static string? ReadString(JsonElement entry, string field)
        => entry.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Absent or null gives true with null; a number or a string of digits gives its value; anything else false.</summary>
    private static bool TryReadLong(JsonElement entry, string field, out long? result)
    {
        result = null;
        if (!entry.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            result = number;
            return true;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString()!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            result = parsed;
            return true;
        }

        return false;
    }

    private static int ReadInt(JsonElement entry, string field, int fallback, int min, int max, Action<string> problem)
    {
        if (!TryReadLong(entry, field, out var value) || value is { } v && (v < min || v > max))
        {
            problem($"\"{field}\" must be a whole number from {min} to {max}");
            return fallback;
        }

        return (int)(value ?? fallback);
    }
}
