namespace Idp.Otp;

/// <summary>
/// The audit event types this factor writes through the core. The names are the ones the core's audit trail, its
/// e-mail notices and LemonLDAP::NG-era tooling already know; keep them in step with the core's AuditEventTypes.
/// </summary>
public static class OtpAuditEvents
{
    public const string DeviceEnrolled = "otp.enrolled";
    public const string DeviceKeyChanged = "otp.key_changed";
    public const string DeviceKeyShown = "otp.key_shown";
}
