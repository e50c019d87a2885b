using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Otp.Options;
using Idp.Otp.Verification;
using Idp.SecondFactors;
using Microsoft.Extensions.Options;

namespace Idp.Otp.SecondFactor;

/// <summary>
/// TOTP/HOTP (RFC 6238/4226) as a kind of second factor: a user's <c>_2fDevices</c> are its credentials, and a
/// code is verified and its step consumed by <see cref="OtpVerificationService"/> (compare-and-set on the document).
/// </summary>
public sealed class OtpSecondFactor(IOtpDeviceStore store, OtpVerificationService verification, IOptionsMonitor<OtpOptions> options) : ISecondFactorMethod
{
    /// <summary>RFC 8176 §2: "otp", a one-time password.</summary>
    public const string OneTimePassword = "otp";

    public const string EnrollPage = "/account/2fa/enroll";

    /// <summary>The kind's name; TOTP and HOTP devices are both of it.</summary>
    public const string Kind = "otp";

    /// <summary>Showing a key again and giving a device a new key (both off by default).</summary>
    public const string ManagePage = "/2fregisters/otp";

    public SecondFactorDescriptor Descriptor
        => new(Kind, options.CurrentValue.Label, options.CurrentValue.Logo is { Length: > 0 } logo ? logo : null, [OneTimePassword], EnrollPage,
            options.CurrentValue.DisplayExistingSecret || options.CurrentValue.UserCanChangeKey ? ManagePage : null);

    /// <summary>Nothing to send: the code comes from the person's authenticator.</summary>
    public Task StartChallengeAsync(string userId, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlyList<SecondFactorCredential>> CredentialsAsync(string userId, CancellationToken cancellationToken)
        => [.. (await store.LoadAsync(userId, cancellationToken)).Document.Devices.Select(Credential)];

    public async Task<SecondFactorVerification> VerifyAsync(string userId, string? response, string? credentialId, Func<SecondFactorCredential, bool> eligible, CancellationToken cancellationToken)
    {
        var result = await verification.VerifyAsync(userId, response, credentialId, cancellationToken, (device, _) => eligible(Credential(device)));
        var verdict = result.Outcome switch
        {
            OtpVerificationOutcome.Accepted => SecondFactorVerdict.Accepted,
            OtpVerificationOutcome.Replayed => SecondFactorVerdict.Replayed,
            _ => SecondFactorVerdict.Rejected,
        };
        return new SecondFactorVerification(verdict, result.Device?.Id);
    }

    public async Task<string?> RenameAsync(string userId, string credentialId, string? name, CancellationToken cancellationToken)
    {
        var update = await store.UpdateAsync(userId, stored =>
        {
            if (stored.Document.Devices.FirstOrDefault(d => d.Id == credentialId) is not { } device)
            {
                return DocumentEdit<string>.Stop("That device does not exist.");
            }

            return DeviceNameRules.Validate(name, options.CurrentValue.DeviceNameMaxLength, stored.Document.Devices, device.Id) is { } problem
                ? DocumentEdit<string>.Stop(problem)
                : DocumentEdit<string>.Write(stored.Document.Replace(device with { Name = name!.Trim() }));
        }, cancellationToken);
        return update.Written ? null : update.Answer ?? "Your devices changed meanwhile. Try again.";
    }

    public async Task<CredentialRemoval> RemoveAsync(string userId, string credentialId, Func<IReadOnlyList<SecondFactorCredential>, bool> allowed, CancellationToken cancellationToken)
    {
        var update = await store.UpdateAsync(userId, stored =>
        {
            if (stored.Document.Devices.FirstOrDefault(d => d.Id == credentialId) is not { } device)
            {
                return DocumentEdit<CredentialRemoval>.Stop(new CredentialRemoval(CredentialRemovalOutcome.NotFound));
            }

            if (device.Serial is not null)
            {
                // The pool keeps the token's record: it is unassigned or deleted there, so that both stay in step.
                return DocumentEdit<CredentialRemoval>.Stop(new CredentialRemoval(CredentialRemovalOutcome.Managed, device.Name));
            }

            // Decided on the very version that is replaced: a concurrent removal cannot slip past the rule.
            var remaining = stored.Document.Remove(device.Id);
            return allowed([.. remaining.Devices.Select(Credential)])
                ? DocumentEdit<CredentialRemoval>.Write(remaining, new CredentialRemoval(CredentialRemovalOutcome.Removed, device.Name))
                : DocumentEdit<CredentialRemoval>.Stop(new CredentialRemoval(CredentialRemovalOutcome.Refused, device.Name));
        }, cancellationToken);
        return update.Answer ?? new CredentialRemoval(CredentialRemovalOutcome.Contended);
    }

    private SecondFactorCredential Credential(OtpDevice device)
        => new(device.Id, Kind, device.Name, device.RegisteredAt,
            device.LastUsed is { } used ? DateTimeOffset.FromUnixTimeSeconds(used) : null, device.ExpiresAt(options.CurrentValue.Ttl),
            device.Serial is null ? device.Type.ToString().ToUpperInvariant() : $"{device.Type.ToString().ToUpperInvariant()} token {device.Serial}")
        {
            Disabled = device.Disabled,
            ResponseLength = device.Digits,
        };
}
