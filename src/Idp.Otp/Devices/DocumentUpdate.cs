namespace Idp.Otp.Devices;

/// <summary>How <see cref="DocumentUpdates.UpdateAsync"/> ended: written, stopped by the edit with its answer, or contended every time.</summary>
public sealed record DocumentUpdate<T>(bool Written, bool Stopped, T? Answer)
{
    /// <summary>Neither written nor stopped: another writer came first on every attempt.</summary>
    public bool Contended => !Written && !Stopped;
}
