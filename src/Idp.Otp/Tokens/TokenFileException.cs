namespace Idp.Otp.Tokens;

/// <summary>A token file that cannot be imported, whole: the message names the entry (serial, or line) and why.</summary>
public sealed class TokenFileException(string entry, string reason, Exception? inner = null) : Exception($"{entry}: {reason}", inner)
{
    public string Entry { get; } = entry;

    public string Reason { get; } = reason;
}
