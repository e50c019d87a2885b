using Idp.Accounts.SecondFactor;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Http;

namespace Idp.Tests.SecondFactor;

/// <summary>
/// The real <see cref="EnrollmentFlow"/>, with one interleaving of two tabs forced once the test arms the gate: both
/// open the enrollment before either checks its code, and the one that claims it waits until the other has been
/// answered, so the losing tab answers while the winning one has saved nothing yet.
/// </summary>
internal sealed class HeldEnrollmentFlow(EnrollmentFlow inner, HeldEnrollmentFlow.Gate gate) : IEnrollmentFlow
{
    /// <summary>Shared by the requests of one host.</summary>
    public sealed class Gate
    {
        private volatile bool armed;
        private int opened;

        public TaskCompletionSource BothOpened { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource LoserAnswered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Armed => armed;

        public void Arm() => armed = true;

        public void Opened()
        {
            if (armed && Interlocked.Increment(ref opened) == 2)
            {
                BothOpened.TrySetResult();
            }
        }
    }

    public async Task<(PendingEnrollment? Pending, string? Redirect)> OpenAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var opened = await inner.OpenAsync(context, cancellationToken);
        gate.Opened();
        return opened;
    }

    public Task<string> KeepStateAsync(PendingEnrollment pending, string state, CancellationToken cancellationToken)
        => inner.KeepStateAsync(pending, state, cancellationToken);

    public async Task<EnrollmentStep?> CheckAsync(HttpContext context, PendingEnrollment pending, string retryMessage, Func<CancellationToken, Task<SecondFactorVerdict>> verify, CancellationToken cancellationToken)
    {
        if (!gate.Armed)
        {
            return await inner.CheckAsync(context, pending, retryMessage, verify, cancellationToken);
        }

        await gate.BothOpened.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        var step = await inner.CheckAsync(context, pending, retryMessage, verify, cancellationToken);
        if (step is not null)
        {
            gate.LoserAnswered.TrySetResult();
        }
        else
        {
            // This tab claimed the enrollment but has saved nothing yet: it waits for the other tab's answer.
            await gate.LoserAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }

        return step;
    }

    public Task<bool> HasUsableCredentialAsync(string userId, CancellationToken cancellationToken)
        => inner.HasUsableCredentialAsync(userId, cancellationToken);

    public Task AuditAsync(string type, string userId, string details, CancellationToken cancellationToken)
        => inner.AuditAsync(type, userId, details, cancellationToken);

    public Task<EnrollmentStep> CompleteAsync(HttpContext context, PendingEnrollment pending, IReadOnlyList<string> amr, CancellationToken cancellationToken)
        => inner.CompleteAsync(context, pending, amr, cancellationToken);

    public Task<EnrollmentStep> StartOverAsync(HttpContext context, PendingEnrollment pending, string message, CancellationToken cancellationToken)
        => inner.StartOverAsync(context, pending, message, cancellationToken);
}
