namespace Idp.Validation;

/// <summary>privacyIDEA's <c>result.authentication</c>.</summary>
internal enum ValidationAuthentication
{
    Reject,
    Accept,
    Challenge,
}
