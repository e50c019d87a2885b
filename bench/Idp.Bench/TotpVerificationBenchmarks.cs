using BenchmarkDotNet.Attributes;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Otp.Verification;
using Microsoft.Extensions.Options;

namespace Idp.Bench;

/// <summary>
/// One TOTP code checked for a user with 10 devices, Range 1 (issue #3's figure, target under 50 µs): each seed
/// decrypted (AES-256-GCM) and up to 3 HMAC-SHA1 a device. The last row adds parsing the stored JSON array, the
/// full work after the database row is read.
/// </summary>
[MedianColumn]
[MemoryDiagnoser]
public class TotpVerificationBenchmarks
{
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private OtpVerificationService _service = null!;
    private OtpDeviceDocument _document = OtpDeviceDocument.Empty;
    private string _json = string.Empty;
    private string _codeOfLastDevice = string.Empty;
    private string _wrongCode = string.Empty;

    public static OtpDeviceDocument TenDevices(SecretProtector protector, out byte[] lastSeed)
    {
        var document = OtpDeviceDocument.Empty;
        lastSeed = [];
        for (var i = 0; i < 10; i++)
        {
            lastSeed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(20);
            document = document.Add(new OtpDevice
            {
                Id = $"device{i}",
                Type = OtpDeviceType.Totp,
                Name = $"Phone {i}",
                Epoch = Now.ToUnixTimeSeconds() - 86_400,
                Secret = protector.Protect(lastSeed, OtpSecretPurposes.OtpSeed),
            });
        }

        return document;
    }

    [GlobalSetup]
    public void Setup()
    {
        var protector = new SecretProtector(new SecretKeyRing(SecretKey.Generate()));
        _document = TenDevices(protector, out var lastSeed);
        _json = OtpDeviceJson.Write(_document);
        _codeOfLastDevice = Hotp.Format(Totp.ComputeCode(lastSeed, Now, 30, 6, OtpHashAlgorithm.Sha1), 6);
        _wrongCode = _codeOfLastDevice == "000000" ? "000001" : "000000";
        _service = new OtpVerificationService(null!, protector, new StaticOptions(new OtpOptions()), TimeProvider.System);
    }

    [Benchmark(Description = "verify: code of the 10th device")]
    public OtpMatchKind CodeOfLastDevice() => _service.Match(_document, _codeOfLastDevice, null, Now).Match.Kind;

    [Benchmark(Description = "verify: wrong code (all 10 devices, 3 steps each)")]
    public OtpMatchKind WrongCode() => _service.Match(_document, _wrongCode, null, Now).Match.Kind;

    [Benchmark(Description = "parse stored JSON + verify wrong code")]
    public OtpMatchKind ParseAndWrongCode()
    {
        OtpDeviceJson.TryRead(_json, out var document, out _);
        return _service.Match(document, _wrongCode, null, Now).Match.Kind;
    }

    private sealed class StaticOptions(OtpOptions value) : IOptionsMonitor<OtpOptions>
    {
        public OtpOptions CurrentValue => value;

        public OtpOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<OtpOptions, string?> listener) => null;
    }
}
