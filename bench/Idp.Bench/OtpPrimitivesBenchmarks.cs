using BenchmarkDotNet.Attributes;
using Idp.Otp.Algorithms;
using Idp.Otp.Devices;
using Idp.Otp.Secrets;
using Idp.Secrets;

namespace Idp.Bench;

/// <summary>The parts of a code check, to see where time goes: one seed decryption, one device's three HMACs, one JSON parse.</summary>
[MedianColumn]
[MemoryDiagnoser]
public class OtpPrimitivesBenchmarks
{
    private readonly byte[] _seed = new byte[20];
    private SecretProtector _protector = null!;
    private string _protectedSeed = string.Empty;
    private string _json = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _protector = new SecretProtector(new SecretKeyRing(SecretKey.Generate()));
        _protectedSeed = _protector.Protect(_seed, OtpSecretPurposes.OtpSeed);
        _json = OtpDeviceJson.Write(TotpVerificationBenchmarks.TenDevices(_protector, out _));
    }

    [Benchmark(Description = "decrypt one seed (AES-256-GCM)")]
    public bool DecryptSeed() => _protector.TryUnprotect(_protectedSeed, OtpSecretPurposes.OtpSeed, out _);

    [Benchmark(Description = "one device, Range 1 (3 HMAC-SHA1)")]
    public int ThreeSteps()
    {
        using var hmac = Hotp.CreateHmac(_seed, OtpHashAlgorithm.Sha1);
        return Hotp.ComputeCode(hmac, 5, 6) ^ Hotp.ComputeCode(hmac, 6, 6) ^ Hotp.ComputeCode(hmac, 7, 6);
    }

    [Benchmark(Description = "parse a 10-device _2fDevices array")]
    public bool ParseTenDevices() => OtpDeviceJson.TryRead(_json, out _, out _);
}
