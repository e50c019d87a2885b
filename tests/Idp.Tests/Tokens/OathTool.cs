using System.Globalization;

namespace Idp.Tests.Tokens;

/// <summary>Codes from Debian's oathtool (liboath), not from Idp's own HOTP: an independent check of imported seeds.</summary>
internal static class OathTool
{
    public static async Task<string> HotpAsync(byte[] seed, long counter, int digits = 8)
        => await RunAsync(["--hotp", "-d", digits.ToString(CultureInfo.InvariantCulture), "-c", counter.ToString(CultureInfo.InvariantCulture), Convert.ToHexStringLower(seed)]);

    /// <param name="algorithm">oathtool's name: sha1, sha256 or sha512.</param>
    public static async Task<string> TotpAsync(byte[] seed, DateTimeOffset when, int digits = 6, int period = 30, string algorithm = "sha1")
        => await RunAsync([$"--totp={algorithm}", "-d", digits.ToString(CultureInfo.InvariantCulture), "-s", $"{period}s", "-N", $"@{when.ToUnixTimeSeconds()}", Convert.ToHexStringLower(seed)]);

    private static async Task<string> RunAsync(string[] arguments)
    {
        var result = await ExternalTool.RunAsync("oathtool", arguments);
        Assert.True(result.ExitCode == 0, $"oathtool failed (./test.sh installs it): {result.StandardError}");
        return result.StandardOutput.Trim();
    }
}
