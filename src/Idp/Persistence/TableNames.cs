namespace Idp.Persistence;

/// <summary>Table names that differ from their entity's, kept from the release that created them (see Migrations/).</summary>
internal static class TableNames
{
    /// <summary>Created by 0001 for the first factor; it holds each user's whole <c>_2fDevices</c> document.</summary>
    public const string SecondFactorDocuments = "UserOtpDevices";
}
