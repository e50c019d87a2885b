namespace Idp.Otp.Options;

/// <summary>Who is asked for a second factor at sign-in (LemonLDAP::NG's totp2fActivation / sfRequired).</summary>
public enum OtpActivation
{
    Off,

    /// <summary>Only users who have a device are asked for a code.</summary>
    Enrolled,

    /// <summary>Everyone; users without a device are made to enroll one.</summary>
    Required,
}
