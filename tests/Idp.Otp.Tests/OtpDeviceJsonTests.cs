using System.Text.Json.Nodes;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;

namespace Idp.Otp.Tests;

public sealed class OtpDeviceJsonTests
{
    // Shaped exactly as LemonLDAP::NG writes _2fDevices: epoch as a string, lower-case secret, other types beside.
    private const string LemonLdapRecords = """
        [{"name":"MyTOTP","type":"TOTP","_secret":"gezdgnbvgy3tqojqgezdgnbvgy3tqojq","epoch":"1524078936"},
         {"type":"U2F","name":"MyU2FKey","_userKey":"BKa...","_keyHandle":"xyz","epoch":1524078999}]
        """;

    [Fact]
    public void TryRead_LemonLdapRecord_ReadsTotpAndKeepsOtherTypes()
    {
        Assert.True(OtpDeviceJson.TryRead(LemonLdapRecords, out var document, out var errors), string.Join("; ", errors));

        var device = Assert.Single(document.Devices);
        Assert.Equal(OtpDeviceType.Totp, device.Type);
        Assert.Equal("MyTOTP", device.Name);
        Assert.Equal(1524078936, device.Epoch);
        Assert.Equal("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", device.Secret);
        Assert.Equal(OtpHashAlgorithm.Sha1, device.Algorithm);
        Assert.Equal(6, device.Digits);
        Assert.Equal(30, device.Period);
        Assert.StartsWith("llng-", device.Id, StringComparison.Ordinal);
        var other = Assert.Single(document.OtherEntries);
        Assert.Equal("U2F", other["type"]!.GetValue<string>());
    }

    [Fact]
    public void TryRead_SameRecordTwice_SameDerivedId()
    {
        OtpDeviceJson.TryRead(LemonLdapRecords, out var first, out _);
        OtpDeviceJson.TryRead(LemonLdapRecords, out var second, out _);

        Assert.Equal(first.Devices[0].Id, second.Devices[0].Id);
    }

    [Fact]
    public void WriteThenRead_RoundTrip_KeepsEveryFieldAndUnknownOnes()
    {
        const string json = """
            [{"type":"TOTP","name":"Work phone","epoch":1700000000,"_secret":"ABC","id":"a1","algorithm":"SHA256","digits":8,"period":60,
              "lastStep":123,"lastUsed":1700000100,"customField":{"nested":[1,2]}},
             {"type":"HOTP","name":"Token","epoch":1700000001,"_secret":"DEF","id":"b2","counter":42},
             {"type":"WebAuthn","name":"Key","_credentialId":"q"}]
            """;
        Assert.True(OtpDeviceJson.TryRead(json, out var document, out _));

        var written = OtpDeviceJson.Write(document);
        Assert.True(OtpDeviceJson.TryRead(written, out var reread, out _));

        Assert.Equal(document.Devices.Count, reread.Devices.Count);
        var totp = reread.Devices[0];
        Assert.Equal(("a1", OtpHashAlgorithm.Sha256, 8, 60, 123L, 1700000100L), (totp.Id, totp.Algorithm, totp.Digits, totp.Period, totp.LastStep!.Value, totp.LastUsed!.Value));
        Assert.Equal("[1,2]", totp.Extra!["customField"]!["nested"]!.ToJsonString());
        Assert.Equal(42, reread.Devices[1].Counter);
        Assert.Equal("q", reread.OtherEntries[0]["_credentialId"]!.GetValue<string>());
        var first = (JsonObject)JsonNode.Parse(written)!.AsArray()[0]!;
        Assert.Equal(["type", "name", "epoch", "_secret"], first.Select(p => p.Key).Take(4));
    }

    [Theory]
    [InlineData("{}", "expected a JSON array")]
    [InlineData("[1]", "entry 1: expected a JSON object")]
    [InlineData("""[{"type":"TOTP","name":"a","epoch":1}]""", "\"_secret\" is missing")]
    [InlineData("""[{"type":"TOTP","_secret":"A","epoch":1}]""", "\"name\" is missing")]
    [InlineData("""[{"type":"TOTP","name":"a","_secret":"A","epoch":"yesterday"}]""", "\"epoch\" must be")]
    [InlineData("""[{"type":"TOTP","name":"a","_secret":"A","epoch":1,"digits":9}]""", "\"digits\" must be a whole number from 6 to 8")]
    [InlineData("""[{"type":"TOTP","name":"a","_secret":"A","epoch":1,"period":5}]""", "\"period\" must be a whole number from 15 to 300")]
    [InlineData("""[{"type":"TOTP","name":"a","_secret":"A","epoch":1,"algorithm":"MD5"}]""", "\"algorithm\" must be SHA1, SHA256 or SHA512")]
    [InlineData("""[{"type":"TOTP","name":"a","_secret":"A","epoch":1,"id":"x"},{"type":"TOTP","name":"b","_secret":"A","epoch":1,"id":"x"}]""", "share the id")]
    [InlineData("[{", "not valid JSON")]
    public void TryRead_BadRecord_ClearErrorAndNothingRead(string json, string expected)
    {
        Assert.False(OtpDeviceJson.TryRead(json, out var document, out var errors));

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
        Assert.Empty(document.Devices);
    }

    [Fact]
    public void TryRead_Empty_EmptyDocument()
    {
        Assert.True(OtpDeviceJson.TryRead("", out var document, out _));
        Assert.Empty(document.Devices);
    }
}
