using System.Diagnostics.Metrics;
using Idp.Audit;
using Idp.Persistence.Entities;

namespace Idp.Hosting.Telemetry;

/// <summary>
/// Counts what the audit trail records, so that metrics and the trail never disagree: sign-ins by outcome,
/// second-factor checks by kind and outcome, locks, tokens issued by grant type, refresh-token reuse, validation and
/// RADIUS answers by channel. Labels come from fixed lists only: never a user name, a client's input or a secret.
/// </summary>
internal sealed class AuditMetrics : IAuditSubscriber
{
    private static readonly HashSet<string> GrantTypes = new(StringComparer.Ordinal) { "authorization_code", "refresh_token", "client_credentials" };

    private static readonly Counter<long> SignIns = IdpMeter.Meter.CreateCounter<long>("idp.signins", description: "Password steps of sign-in, by outcome (success, failure, locked_out)");
    private static readonly Counter<long> SecondFactorChecks = IdpMeter.Meter.CreateCounter<long>("idp.second_factor.checks", description: "Second-factor responses checked on the guarded path, by kind and outcome (accepted, wrong, replayed, refused)");
    private static readonly Counter<long> Locks = IdpMeter.Meter.CreateCounter<long>("idp.second_factor.locks", description: "Second factors locked after too many wrong responses");
    private static readonly Counter<long> TokensIssued = IdpMeter.Meter.CreateCounter<long>("idp.tokens.issued", description: "Token responses, by grant type");
    private static readonly Counter<long> RefreshReuse = IdpMeter.Meter.CreateCounter<long>("idp.tokens.refresh_reuse", description: "Refresh tokens presented again after rotation (the family is revoked)");
    private static readonly Counter<long> Validations = IdpMeter.Meter.CreateCounter<long>("idp.validation.answers", description: "Validation API and RADIUS answers, by channel and outcome (accept, reject, challenge, passthru)");

    public Task OnRecordedAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        switch (auditEvent.Type)
        {
            case AuditEventTypes.SignInSucceeded: SignIns.Add(1, Tag("outcome", "success")); break;
            case AuditEventTypes.SignInFailed: SignIns.Add(1, Tag("outcome", "failure")); break;
            case AuditEventTypes.SignInLockedOut: SignIns.Add(1, Tag("outcome", "locked_out")); break;
            case AuditEventTypes.OtpSucceeded: Check("accepted"); break;
            case AuditEventTypes.OtpFailed: Check("wrong"); break;
            case AuditEventTypes.OtpReplayed: Check("replayed"); break;
            case AuditEventTypes.OtpRefused: Check("refused"); break;
            case AuditEventTypes.OtpLocked: Locks.Add(1); break;
            case AuditEventTypes.TokenIssued: TokensIssued.Add(1, Tag("grant_type", GrantType(auditEvent.Details))); break;
            case AuditEventTypes.RefreshTokenReused: RefreshReuse.Add(1); break;
            case AuditEventTypes.ValidationAccepted: Validation(auditEvent.Details, "accept"); break;
            case AuditEventTypes.ValidationRejected: Validation(auditEvent.Details, "reject"); break;
            case AuditEventTypes.ValidationChallenged: Validation(auditEvent.Details, "challenge"); break;
            case AuditEventTypes.ValidationPassthru: Validation(auditEvent.Details, "passthru"); break;
        }

        return Task.CompletedTask;
    }

    /// <summary>"otp" is the one kind whose events these are (otp.*); another kind would bring its own.</summary>
    private static void Check(string outcome) => SecondFactorChecks.Add(1, Tag("kind", "otp"), Tag("outcome", outcome));

    /// <summary>The details start with the channel ("radius, client vpn: …"); only the known channels are labels.</summary>
    private static void Validation(string? details, string outcome)
    {
        var channel = details?.Split(',', 2)[0] switch
        {
            Idp.Validation.ValidationChannel.Radius => Idp.Validation.ValidationChannel.Radius,
            Idp.Validation.ValidationChannel.Validate => Idp.Validation.ValidationChannel.Validate,
            _ => "other",
        };
        Validations.Add(1, Tag("channel", channel), Tag("outcome", outcome));
    }

    /// <summary>The details start with the grant type ("refresh_token scope=…"); anything not known is "other".</summary>
    private static string GrantType(string? details)
        => details?.Split(' ', 2)[0] is { } first && GrantTypes.Contains(first) ? first : "other";

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
