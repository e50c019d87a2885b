namespace Idp.UserStores;

/// <summary>One entry of a directory store's <c>GroupRoles</c>: members of this group hold this Idp role.</summary>
public sealed class GroupRoleSettings
{
    /// <summary>
    /// LDAP: the group's full DN, as the person's GroupAttribute lists it (compared without regard to case or spacing);
    /// a full DN, not a name, so that anyone who may create a group elsewhere in the directory does not get its role.
    /// SQL: one of the names in the person's GroupsColumn (compared without regard to case).
    /// </summary>
    public string Group { get; set; } = string.Empty;

    public string Role { get; set; } = string.Empty;
}
