namespace Idp.Tests.Tokens;

/// <summary>The token files the tests import: RFC 6030's figures (copied from the OTP tests) and OATH CSV written here.</summary>
internal static class TokenTestFiles
{
    /// <summary>RFC 6030 §6.1's pre-shared key for Figure 6, as hex.</summary>
    public const string Figure6Key = "12345678901234567890123456789012";

    /// <summary>The serial of RFC 6030 Figures 3, 6 and 7: an 8-digit HOTP token with RFC 4226's secret.</summary>
    public const string RfcSerial = "987654321";

    /// <summary>RFC 4226 Appendix D, the 8-digit codes of its secret (the low eight digits of "Truncated") for counters 0 to 3.</summary>
    public static readonly string[] RfcCodes8 = ["84755224", "94287082", "37359152", "26969429"];

    public static string Figure(int number) => Path.Combine(AppContext.BaseDirectory, "Tokens", "rfc6030", $"figure{number}.xml");

    public static async Task<string> WriteAsync(string content, string extension = ".csv")
    {
        var path = Path.Combine(Path.GetTempPath(), $"idp-tokens-{Guid.NewGuid():N}{extension}");
        await File.WriteAllTextAsync(path, content);
        return path;
    }

    public static Task<string> KeyFileAsync(string hex = Figure6Key) => WriteAsync(hex + "\n", ".key");
}
