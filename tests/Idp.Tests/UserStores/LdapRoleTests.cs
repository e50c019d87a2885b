using Idp.Audit;
using Idp.Tests.Hardening;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.UserStores;

/// <summary>Directory groups give Idp roles (Idp:Stores:N:Ldap:GroupRoles), and take them back.</summary>
public sealed class LdapRoleTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task AGroupMappedToARole_GivesIt_WhileThePersonIsInTheGroup(DatabaseKind kind)
    {
        var group = LdapScenario.NewLogin("idp-admins-");
        await using var ldap = await LdapScenario.StartAsync(kind, more: new Dictionary<string, string?>
        {
            ["Idp:Stores:0:Ldap:GroupRoles:0:Group"] = $"CN={group}, ou=Groups,dc=example,dc=org",
            ["Idp:Stores:0:Ldap:GroupRoles:0:Role"] = "admin",
        });
        var member = LdapScenario.NewLogin("olga");
        var other = LdapScenario.NewLogin("pete");
        var memberDn = await ldap.Directory.AddPersonAsync(member, "olga's password");
        var otherDn = await ldap.Directory.AddPersonAsync(other, "pete's password");
        await ldap.Directory.AddGroupAsync(group, memberDn, otherDn);

        // A group of the same name elsewhere (anyone allowed to create groups there could add themselves) gives nothing.
        var outsider = LdapScenario.NewLogin("quinn");
        var outsiderDn = await ldap.Directory.AddPersonAsync(outsider, "quinn's password");
        await ldap.Directory.ModifyAsync($"dn: cn={group},{OpenLdapServer.Partners}\nchangetype: add\nobjectClass: groupOfNames\ncn: {group}\nmember: {outsiderDn}\n\n");

        var asMember = await RolesAsync(ldap, member);
        var asOutsider = await RolesAsync(ldap, outsider);
        var asOther = await RolesAsync(ldap, other);
        await ldap.Directory.ModifyAsync($"dn: cn={group},{OpenLdapServer.Groups}\nchangetype: modify\ndelete: member\nmember: {memberDn}\n\n");
        var afterRemoval = await RolesAsync(ldap, member);
        var stillOther = await RolesAsync(ldap, other);
        var audited = await HardeningDb.AuditAsync(ldap.Host.Services, AuditEventTypes.StoreRolesChanged);

        Assert.Equal(["admin"], asMember);
        Assert.Empty(asOutsider);
        Assert.Equal(["admin"], asOther);
        Assert.Empty(afterRemoval);
        Assert.Equal(["admin"], stillOther);
        Assert.Equal(["roles from directory groups: admin", "roles from directory groups: admin", "roles from directory groups: none"], audited.Select(a => a.Details));
    }

    [Fact]
    public async Task AGroupMappingWithoutADnOrWithAnUnknownRole_StopsStartUp()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var settings = LdapScenario.Settings("ldap://127.0.0.1:389");
        settings["Idp:Stores:0:Ldap:GroupRoles:0:Group"] = "vpn-users";
        settings["Idp:Stores:0:Ldap:GroupRoles:0:Role"] = "superuser";

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, settings));

        Assert.Contains("Idp:Stores:0:Ldap:GroupRoles:0:Group must be the group's full DN", error.Message, StringComparison.Ordinal);
        Assert.Contains("Idp:Stores:0:Ldap:GroupRoles:0:Role must name a role Idp knows (admin; got \"superuser\")", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Resolves the login as a sign-in does, then reads the roles the record holds.</summary>
    private static async Task<List<string>> RolesAsync(LdapScenario ldap, string login)
    {
        var user = await ldap.ResolveAsync(login);
        return await HardeningDb.QueryAsync(ldap.Host.Services, db => (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == user!.Id select r.Name!).ToListAsync());
    }
}
