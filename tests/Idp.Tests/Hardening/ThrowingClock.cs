namespace Idp.Tests.Hardening;

/// <summary>The system clock, until a test arms it: then every read fails, as a broken dependency would.</summary>
internal sealed class ThrowingClock : TimeProvider
{
    public volatile bool Armed;

    public override DateTimeOffset GetUtcNow() => Armed ? throw new InvalidOperationException("forced failure: secret-in-exception-message") : base.GetUtcNow();
}
