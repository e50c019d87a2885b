namespace Idp.UserStores;

/// <summary>
/// A person as a directory store found them. <see cref="ExternalId"/> never changes (entryUUID, objectGUID), so the
/// local record, devices and <c>sub</c> survive a rename; <see cref="Login"/> is the store's current login for them;
/// <see cref="DistinguishedName"/> is where the store finds them again (an LDAP DN; a SQL row's id).
/// <see cref="Roles"/> are the Idp roles their groups give, out of the <see cref="ManagedRoles"/> the store decides.
/// </summary>
public sealed record DirectoryPerson(string StoreName, string ExternalId, string DistinguishedName, string Login, string? DisplayName, string? Email, IReadOnlyList<string> Groups)
{
    public IReadOnlyCollection<string> Roles { get; init; } = [];

    public IReadOnlyCollection<string> ManagedRoles { get; init; } = [];
}
