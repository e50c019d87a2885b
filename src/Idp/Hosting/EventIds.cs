namespace Idp.Hosting;

/// <summary>Log event ids, so operators can alert on them. Messages never carry a password, code, token or key.</summary>
internal static class EventIds
{
    public static readonly EventId SignInSucceeded = new(1000, nameof(SignInSucceeded));
    public static readonly EventId SignInFailed = new(1001, nameof(SignInFailed));
    public static readonly EventId SignInLockedOut = new(1002, nameof(SignInLockedOut));
    public static readonly EventId SignedOut = new(1003, nameof(SignedOut));
    public static readonly EventId PasswordAcceptedSecondFactorNext = new(1004, nameof(PasswordAcceptedSecondFactorNext));
    public static readonly EventId AdministratorCreated = new(1010, nameof(AdministratorCreated));
    public static readonly EventId SetupLinkRefused = new(1011, nameof(SetupLinkRefused));
    public static readonly EventId DirectoryUnreachable = new(1020, nameof(DirectoryUnreachable));
    public static readonly EventId DirectoryAmbiguous = new(1021, nameof(DirectoryAmbiguous));
    public static readonly EventId DirectoryUnavailable = new(1022, nameof(DirectoryUnavailable));
}
