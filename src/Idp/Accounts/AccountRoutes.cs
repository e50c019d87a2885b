namespace Idp.Accounts;

/// <summary>The interaction pages' addresses, in one place: every redirect and every page's route uses these.</summary>
internal static class AccountRoutes
{
    public const string Login = "/account/login";
    public const string Logout = "/account/logout";
    public const string Denied = "/account/denied";
    public const string Account = "/account";

    /// <summary>The code page after the password (and for step-up).</summary>
    public const string Code = "/account/2fa";
    public const string Enroll = "/account/2fa/enroll";
    public const string StepUp = "/account/2fa/step-up";
    public const string Expired = "/account/2fa/expired";

    /// <summary>LemonLDAP::NG's address for a person's own devices.</summary>
    public const string Registers = "/2fregisters";
    public const string Admin = "/admin";

    /// <summary>The sign-in starts over: the pending second step is gone or expired.</summary>
    public const string LoginTimedOut = Login + "?notice=2fa-timeout";
}
