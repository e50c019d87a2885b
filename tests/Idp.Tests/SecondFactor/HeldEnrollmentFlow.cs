using Idp.Accounts.SecondFactor;
using Idp.SecondFactors;
using Microsoft.AspNetCore.Http;

namespace Idp.Tests.SecondFactor;

/// <summary>
/// The real <see cref="EnrollmentFlow"/>, except that a check that claims the enrollment waits until another request's
/// check has been refused: it forces the interleaving where a losing tab answers while the winning one is still saving.
/// </summary>
public sealed class HeldEnrollmentFlow(EnrollmentFlow inner, HeldEnrollmentFlow.Gate gate) : IEnrollmentFlow
{
    /// <summary>Shared by the requests of one host.</summary>
    public sealed class Gate
    {
        public TaskCompletionSource LoserAnswered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task<(PendingEnrollment? Pending, string? Redirect)> OpenAsync(HttpContext context, CancellationToken cancellationToken)
        => inner.OpenAsync(context, cancellationToken);

    public Task<string> KeepStateAsync(PendingEnrollment pending, string state, CancellationToken cancellationToken)
        => inner.KeepStateAsync(pending, state, cancellationToken);

    public async Task<EnrollmentStep?> CheckAsync(HttpContext context, PendingEnrollment pending, string retryMessage, Func<CancellationToken, Task<SecondFactorVerdict>> verify, CancellationToken cancellationToken)
    {
        var step = await inner.CheckAsync(context, pending, retryMessage, verify, cancellationToken);
        if (step is not null)
        {
            gate.LoserAnswered.TrySetResult();
        }
        else
        {
            // The winner has claimed the enrollment but saved nothing yet: it waits for the other tab's answer.
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
