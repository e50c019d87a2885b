using System.Text;
using Idp.Otp.Codecs;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.Secrets;

namespace Idp.Otp.Tests;

public sealed class DeviceImporterTests
{
    private const string Base32Seed = "gezdgnbvgy3tqojqgezdgnbvgy3tqojq"; // "12345678901234567890", lower-case as LemonLDAP::NG writes it
    private readonly SecretProtector _protector = new(new SecretKeyRing(SecretKey.Generate()));

    private DeviceImporter Importer(int maxDevices = 10) => new(_protector, new OtpOptions { MaxDevices = maxDevices }, TimeProvider.System);

    [Fact]
    public void Import_PlainLemonLdapRecord_SecretReEncryptedUnderOurKey()
    {
        var json = $$"""[{"name":"MyTOTP","type":"TOTP","_secret":"{{Base32Seed}}","epoch":"1524078936"}]""";

        var result = Importer().Import(json, OtpDeviceDocument.Empty, null);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var device = Assert.Single(result.Document!.Devices);
        Assert.True(SecretProtector.IsProtected(device.Secret));
        Assert.True(_protector.TryUnprotect(device.Secret, OtpSecretPurposes.OtpSeed, out var seed));
        Assert.Equal("12345678901234567890", Encoding.ASCII.GetString(seed));
    }

    [Theory]
    [InlineData("\"serial\":\"HW-1\"")]
    [InlineData("\"disabled\":true")]
    public void Import_AHardwareTokenRecord_IsRefused_ThePoolAloneHoldsTokens(string field)
    {
        var json = $$"""[{"name":"Fob","type":"HOTP","_secret":"{{Base32Seed}}","epoch":1524078936,{{field}}}]""";

        var result = Importer().Import(json, OtpDeviceDocument.Empty, null);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("import it into the pool (tokens import)", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_LlngCryptRecordWithKey_Decrypts()
    {
        var encrypted = new LemonLdapCipher("llng-secret").Encrypt(Base32Seed);
        var json = $$"""[{"name":"MyTOTP","type":"TOTP","_secret":"{{encrypted}}","epoch":1524078936}]""";

        var result = Importer().Import(json, OtpDeviceDocument.Empty, new LemonLdapCipher("llng-secret"));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.True(_protector.TryUnprotect(result.Document!.Devices[0].Secret, OtpSecretPurposes.OtpSeed, out var seed));
        Assert.Equal(Base32Seed.ToUpperInvariant(), Base32.Encode(seed));
    }

    [Fact]
    public void Import_LlngCryptWithoutKeyOrWithWrongKey_ClearError()
    {
        var encrypted = new LemonLdapCipher("llng-secret").Encrypt(Base32Seed);
        var json = $$"""[{"name":"MyTOTP","type":"TOTP","_secret":"{{encrypted}}","epoch":1}]""";

        Assert.Contains("supply the LemonLDAP::NG key", Importer().Import(json, OtpDeviceDocument.Empty, null).Errors[0], StringComparison.Ordinal);
        Assert.Contains("does not decrypt", Importer().Import(json, OtpDeviceDocument.Empty, new LemonLdapCipher("wrong")).Errors[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Import_OneBadEntryAmongGood_NothingImported()
    {
        var json = $$"""
            [{"name":"Good","type":"TOTP","_secret":"{{Base32Seed}}","epoch":1},
             {"name":"Bad","type":"TOTP","_secret":"not-base32-1!","epoch":2}]
            """;

        var result = Importer().Import(json, OtpDeviceDocument.Empty, null);

        Assert.False(result.Succeeded);
        Assert.Null(result.Document);
        Assert.Contains(result.Errors, e => e.Contains("record 2 (\"Bad\"): the secret is not Base32", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[{"name":"Short","type":"TOTP","_secret":"GEZDGNBVGY","epoch":1}]""", "at least 16 are required")]
    [InlineData("""[{"name":"Bad/Name","type":"TOTP","_secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","epoch":1}]""", "only letters, digits")]
    [InlineData("""[{"name":"A","type":"TOTP","_secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","epoch":1},{"name":"a","type":"TOTP","_secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","epoch":2}]""", "already have a device with this name")]
    [InlineData("""[{"type":"U2F","name":"k"}]""", "no TOTP or HOTP record")]
    [InlineData("""[{"name":"A","type":"TOTP","_secret":"{idp}v1.abc.def","epoch":1}]""", "encrypted by an Idp installation")]
    public void Import_BadInput_ClearError(string json, string expected)
    {
        var result = Importer().Import(json, OtpDeviceDocument.Empty, null);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    /// <summary>Times and counts from another system are bounded: a future epoch would dodge Otp:Ttl, year-10000 times would break every page.</summary>
    [Theory]
    [InlineData("\"epoch\":99999999999999", "entry 1: \"epoch\" must be a number of seconds")]
    [InlineData("\"epoch\":4102444800", "record 1 (\"A\"): \"epoch\" 4102444800 is in the future")]
    [InlineData("\"epoch\":1,\"lastUsed\":253402300800", "entry 1: \"lastUsed\" must be a number of seconds")]
    [InlineData("\"epoch\":1,\"lastUsed\":4102444800", "record 1 (\"A\"): \"lastUsed\" 4102444800 is in the future")]
    [InlineData("\"epoch\":1,\"lastStep\":136748160", "record 1 (\"A\"): \"lastStep\" 136748160 is a time step in the future")]
    [InlineData("\"epoch\":1,\"lastStep\":-1", "entry 1: \"lastStep\" must be a whole number of at least 0")]
    [InlineData("\"epoch\":1,\"counter\":281474976710657", "record 1 (\"A\"): \"counter\" 281474976710657 is beyond")]
    [InlineData("\"epoch\":1,\"counter\":9223372036854775000", "entry 1: \"counter\" must be a whole number from 0 to 4611686018427387904")]
    public void Import_OutOfRangeTimesAndCounts_RefusedNamingEntryAndField(string fields, string expected)
    {
        var json = $$"""[{"name":"A","type":"TOTP","_secret":"{{Base32Seed}}",{{fields}}}]""";

        var result = Importer().Import(json, OtpDeviceDocument.Empty, null);

        Assert.False(result.Succeeded);
        Assert.Null(result.Document);
        Assert.Contains(result.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Import_BeyondMaxDevices_Refused()
    {
        var json = $$"""[{"name":"A","type":"TOTP","_secret":"{{Base32Seed}}","epoch":1},{"name":"B","type":"TOTP","_secret":"{{Base32Seed}}","epoch":2}]""";

        var result = Importer(maxDevices: 1).Import(json, OtpDeviceDocument.Empty, null);

        Assert.Contains(result.Errors, e => e.Contains("at most 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Import_NameClashWithExistingDevice_Refused()
    {
        var existing = OtpDeviceDocument.Empty.Add(TestDevices.Totp() with { Name = "MyTOTP" });
        var json = $$"""[{"name":"mytotp","type":"TOTP","_secret":"{{Base32Seed}}","epoch":1}]""";

        Assert.False(Importer().Import(json, existing, null).Succeeded);
    }
}
