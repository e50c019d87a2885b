namespace Idp.Validation;

/// <summary>Where a code arrived, as the audit trail names it.</summary>
internal static class ValidationChannel
{
    public const string Web = "web";
    public const string Validate = "validate";
    public const string Radius = "radius";
}
