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

    public SecondFactorDescriptor Descriptor
        => new(Kind, options.CurrentValue.Label, options.CurrentValue.Logo is { Length: > 0 } logo ? logo : null, [OneTimePassword], EnrollPage);

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

    private SecondFactorCredential Credential(OtpDevice device)
        => new(device.Id, Kind, device.Name, device.RegisteredAt,
            device.LastUsed is { } used ? DateTimeOffset.FromUnixTimeSeconds(used) : null, device.ExpiresAt(options.CurrentValue.Ttl));
}
