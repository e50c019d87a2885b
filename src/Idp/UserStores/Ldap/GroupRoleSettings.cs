namespace Idp.UserStores.Ldap;

/// <summary>One entry of <c>Idp:Stores:N:Ldap:GroupRoles</c>: members of this group hold this Idp role.</summary>
public sealed class GroupRoleSettings
{
    /// <summary>
    /// The group's full DN, as the person's GroupAttribute lists it (compared without regard to case or spacing).
    /// A full DN, not a name: anyone who may create a group elsewhere in the directory must not get its role.
    /// </summary>
    public string Group { get; set; } = string.Empty;

    public string Role { get; set; } = string.Empty;
}
