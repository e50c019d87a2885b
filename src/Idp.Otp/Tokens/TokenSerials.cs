using System.Diagnostics.CodeAnalysis;

namespace Idp.Otp.Tokens;

/// <summary>What a hardware token's serial may be, wherever one is read: a file, a command line, a stored device.</summary>
public static class TokenSerials
{
    public const string Rule = "1 to 64 printable characters, without spaces at either end";

    public static bool IsValid([NotNullWhen(true)] string? serial)
        => serial is { Length: > 0 and <= TokenFileLimits.MaxSerialLength }
        && !serial.Any(char.IsControl)
        && !char.IsWhiteSpace(serial[0]) && !char.IsWhiteSpace(serial[^1]);
}
