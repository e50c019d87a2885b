namespace Idp.Otp.Devices;

/// <summary>
/// What an edit of a user's device document decided on the version it read: a replacement to write (and the answer
/// once it is written), or an answer without writing anything.
/// </summary>
public sealed record DocumentEdit<T>(OtpDeviceDocument? Replacement, T? Answer)
{
    public static DocumentEdit<T> Write(OtpDeviceDocument replacement, T? answer = default) => new(replacement, answer);

    public static DocumentEdit<T> Stop(T answer) => new(null, answer);
}
