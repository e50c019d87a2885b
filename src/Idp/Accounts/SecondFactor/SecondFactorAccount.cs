using Idp.Audit;
using Idp.Oidc.Authorize;
using Idp.SecondFactors;

namespace Idp.Accounts.SecondFactor;

/// <summary>The core's side of a factor's own page under /2fregisters (<see cref="ISecondFactorAccount"/>).</summary>
internal sealed class SecondFactorAccount(FreshCodeCheck freshCode, SecondFactorSignIn signIn, AuditLog audit) : ISecondFactorAccount
{
    public string? UserIdOf(HttpContext context) => SessionInfo.From(context.User)?.UserId;

    public async Task<string?> CheckFreshResponseAsync(HttpContext context, string? credentialId, string? response, string action, string notDone, CancellationToken cancellationToken)
        => Refusal(await freshCode.ForChangingAsync(Session(context), credentialId, response, action, cancellationToken), notDone);

    public Task<string> BeginNewKeyAsync(HttpContext context, string credentialId, CancellationToken cancellationToken)
        => signIn.BeginKeyChangeAsync(context, Session(context), credentialId, cancellationToken);

    public Task AuditAsync(HttpContext context, string type, string details, CancellationToken cancellationToken)
    {
        var userId = Session(context).UserId;
        return audit.WriteAsync(type, $"user:{userId}", userId, details: details, cancellationToken: cancellationToken);
    }

    /// <summary>The message for a fresh code that did not pass, or null when it did.</summary>
    public static string? Refusal(CodeCheck check, string notDone) => check.Outcome switch
    {
        CodeCheckOutcome.Accepted => null,
        CodeCheckOutcome.Replayed => "That code was already used. Wait for the next one.",
        CodeCheckOutcome.Locked when check.LockedUntil is { } until => SecondFactorSignIn.LockedMessage(until),
        _ => $"That code is not right; {notDone}.",
    };

    private static SessionInfo Session(HttpContext context)
        => SessionInfo.From(context.User) ?? throw new InvalidOperationException("a signed-in page without a session");
}
