namespace Idp.Tests.Hardening;

/// <summary>The system clock, until a test arms it: then reads fail, as a broken dependency would.</summary>
internal sealed class ThrowingClock : TimeProvider
{
    private int _readsLeft = -1;

    /// <summary>Every read fails.</summary>
    public bool Armed
    {
        get => Volatile.Read(ref _readsLeft) >= 0;
        set => Volatile.Write(ref _readsLeft, value ? 0 : -1);
    }

    /// <summary>The next <paramref name="reads"/> reads succeed, every later one fails.</summary>
    public void FailAfter(int reads) => Volatile.Write(ref _readsLeft, reads);

    public override DateTimeOffset GetUtcNow()
    {
        var left = Volatile.Read(ref _readsLeft);
        if (left < 0)
        {
            return base.GetUtcNow();
        }

        if (left > 0 && Interlocked.CompareExchange(ref _readsLeft, left - 1, left) == left)
        {
            return base.GetUtcNow();
        }

        throw new InvalidOperationException("forced failure: secret-in-exception-message");
    }
}
