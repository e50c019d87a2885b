namespace Idp.Admin;

/// <summary><c>Idp:Admin</c>: who administers, and what removing a device also does.</summary>
public sealed class AdminSettings
{
    /// <summary>The role that opens /admin (users who also passed the second factor in this session).</summary>
    public string Role { get; set; } = Accounts.Roles.Admin;

    /// <summary>The scope a client-credentials access token needs for /api/admin.</summary>
    public string ApiScope { get; set; } = "idp:admin";

    /// <summary>Removing a device also ends the user's sessions and revokes their refresh tokens: a thief holding a session is out too.</summary>
    public bool EndSessionsOnDeviceRemoval { get; set; } = true;

    /// <summary>Setting a user's password also ends their sessions and revokes their refresh tokens: whoever knew the old one is out.</summary>
    public bool EndSessionsOnPasswordChange { get; set; } = true;
}
