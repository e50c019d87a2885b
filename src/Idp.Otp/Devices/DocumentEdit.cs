using Idp.Otp.Abstractions;

namespace Idp.Otp.Devices;

/// <summary>
/// What an edit of a user's device document decided on the version it read: a replacement to write (and the answer
/// once it is written), or an answer without writing anything.
/// </summary>
/// <param name="ConsumesCode">The replacement records an accepted code (<see cref="IOtpDeviceStore.TryConsumeAsync"/>).</param>
public sealed record DocumentEdit<T>(OtpDeviceDocument? Replacement, T? Answer, bool ConsumesCode = false)
{
    public static DocumentEdit<T> Write(OtpDeviceDocument replacement, T? answer = default) => new(replacement, answer);

    /// <summary>A replacement that records the step or counter of an accepted code, and nothing else.</summary>
    public static DocumentEdit<T> Consume(OtpDeviceDocument replacement, T answer) => new(replacement, answer, ConsumesCode: true);

    public static DocumentEdit<T> Stop(T answer) => new(null, answer);
}
