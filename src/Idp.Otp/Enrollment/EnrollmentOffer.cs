namespace Idp.Otp.Enrollment;

/// <summary>What the enrollment page shows: the QR code (inline SVG), the same key in groups of four, and the otpauth link.</summary>
public sealed record EnrollmentOffer(string QrSvg, string KeyInGroups, string OtpAuthUri, bool NonDefaultParameters);
