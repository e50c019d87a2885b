namespace Idp.UserStores.Ldap;

/// <summary><c>Idp:Stores:N:Ldap</c>: how to reach the directory, find a person and read their attributes.</summary>
public sealed class LdapStoreSettings
{
    /// <summary><c>ldap://host:389</c> or <c>ldaps://host:636</c>, tried in order: the next when one cannot be reached.</summary>
    public List<string> Servers { get; set; } = [];

    /// <summary>Plain <c>ldap://</c> without StartTLS sends passwords in the clear: refused outside Development unless set.</summary>
    public bool AllowPlainLdap { get; set; }

    /// <summary>Upgrade <c>ldap://</c> connections with StartTLS (RFC 4513 §3).</summary>
    public bool StartTls { get; set; }

    /// <summary>
    /// A PEM file of the CA(s) that issue the directory's certificates, trusted for ldaps:// and StartTLS besides the
    /// system's (the server's name or address must match its certificate either way). Empty: the system's CAs only.
    /// </summary>
    public string? CaFile { get; set; }

    /// <summary>The service account searches bind as. Empty: anonymous searches.</summary>
    public string? BindDn { get; set; }

    public string? BindPassword { get; set; }

    public string SearchBase { get; set; } = string.Empty;

    /// <summary>Attributes a typed login is matched against, any of them; the first is the login Idp shows. Empty: <c>uid</c>.</summary>
    public List<string> LoginAttributes { get; set; } = [];

    public IReadOnlyList<string> EffectiveLoginAttributes() => LoginAttributes.Count > 0 ? LoginAttributes : ["uid"];

    /// <summary>Which entries are people who may sign in, ANDed with the login match (RFC 4515 syntax).</summary>
    public string UserFilter { get; set; } = "(objectClass=person)";

    /// <summary>The immutable id a person keeps across renames: <c>entryUUID</c> (RFC 4530) or AD's <c>objectGUID</c>.</summary>
    public string IdAttribute { get; set; } = "entryUUID";

    public string NameAttribute { get; set; } = "cn";

    public string EmailAttribute { get; set; } = "mail";

    /// <summary>Where a person's groups are listed (DNs), for roles.</summary>
    public string GroupAttribute { get; set; } = "memberOf";

    /// <summary>
    /// Idp roles given by directory groups (full DNs). Kept in step at each sign-in: a role listed here is held
    /// exactly while the person is in one of its groups; roles not listed here are left alone.
    /// </summary>
    public List<GroupRoleSettings> GroupRoles { get; set; } = [];

    /// <summary>Per operation: connecting, binding, searching.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Entries per page of the administrators' paged search (RFC 2696): at most the server's own page limit (Active
    /// Directory's MaxPageSize is 1000; OpenLDAP's size.pr, when set).
    /// </summary>
    public int SearchPageSize { get; set; } = 200;

    /// <summary>Idle connections kept per server for the next operation (0: a new connection each time).</summary>
    public int PoolSize { get; set; } = 8;

    /// <summary>An idle connection older than this is closed instead of reused (below the server's idletimeout and any firewall's).</summary>
    public TimeSpan PoolIdleTimeout { get; set; } = TimeSpan.FromMinutes(1);
}
