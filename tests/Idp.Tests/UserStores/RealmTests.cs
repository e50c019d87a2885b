using System.Net;
using Idp.Audit;
using Idp.Tests.Hardening;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.UserStores;

/// <summary>
/// Realms ask their stores in order: "corp" asks corp (ou=people) then partners (ou=partners); "ext" asks partners
/// only. The first store that knows a login answers, and the audit trail names it.
/// </summary>
public sealed class RealmTests
{
    [Fact]
    public async Task TheFirstStoreThatKnowsALogin_Answers_AndASecondPersonOfThatLoginIsRefusedNotMerged()
    {
        var directory = await SharedLdap.GetAsync();
        var settings = WithPartners(directory.Url, directory.Url);
        settings["Idp:Realms:1:Name"] = "ext";
        settings["Idp:Realms:1:Stores:0"] = "partners";
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, settings);
        var shared = LdapScenario.NewLogin("sam");
        var partnerOnly = LdapScenario.NewLogin("pat");
        await directory.AddPersonAsync(shared, "corp's sam");
        await directory.AddPersonAsync(shared, "partners' sam", under: OpenLdapServer.Partners);
        await directory.AddPersonAsync(partnerOnly, "partners' pat", under: OpenLdapServer.Partners);

        var corpSam = await scenario.SignInAsync(scenario.Host.CreateBrowser(), shared, "corp's sam");
        var partnersPasswordInCorp = await scenario.SignInAsync(scenario.Host.CreateBrowser(), shared, "partners' sam");
        var pat = await scenario.SignInAsync(scenario.Host.CreateBrowser(), partnerOnly, "partners' pat");
        var partnersSamInExt = await scenario.SignInAsync(scenario.Host.CreateBrowser(), $"{shared}@ext", "partners' sam");
        var stores = await HardeningDb.QueryAsync(scenario.Host.Services, db => db.Users.AsNoTracking().Where(u => u.UserName == shared || u.UserName == partnerOnly).ToDictionaryAsync(u => u.UserName!, u => u.StoreName));
        var failures = await HardeningDb.AuditAsync(scenario.Host.Services, AuditEventTypes.SignInFailed);
        var conflicts = await HardeningDb.AuditAsync(scenario.Host.Services, AuditEventTypes.StoreConflict);

        Assert.Equal(HttpStatusCode.Redirect, corpSam.StatusCode);
        Assert.Equal(HttpStatusCode.OK, partnersPasswordInCorp.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, pat.StatusCode);
        Assert.Equal(HttpStatusCode.OK, partnersSamInExt.StatusCode);
        Assert.Equal("corp", stores[shared]);
        Assert.Equal("partners", stores[partnerOnly]);
        Assert.Contains(failures, f => f.Details == "wrong password (store corp)");
        Assert.Single(conflicts);
    }

    /// <summary>
    /// While the realm's first directory cannot answer, a later directory's person of the same login must not take it
    /// (they would become "sam" for every application); the built-in store's accounts still sign in.
    /// </summary>
    [Fact]
    public async Task WhileTheFirstDirectoryIsDown_ALaterDirectoryIsNotAsked()
    {
        await using var down = await OpenLdapServer.StartAsync();
        var partners = await SharedLdap.GetAsync();
        var settings = WithPartners(down.Url, partners.Url);
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, settings);
        var sam = LdapScenario.NewLogin("sam");
        await down.AddPersonAsync(sam, "corp's sam");
        await partners.AddPersonAsync(sam, "partners' sam", under: OpenLdapServer.Partners);
        await scenario.CreateUserAsync("localbea", TestUsers.Password);
        await down.StopAsync();

        var partnersSam = await scenario.SignInAsync(scenario.Host.CreateBrowser(), sam, "partners' sam");
        var local = await scenario.SignInAsync(scenario.Host.CreateBrowser(), "localbea", TestUsers.Password);
        var linked = await HardeningDb.QueryAsync(scenario.Host.Services, db => db.Users.AsNoTracking().CountAsync(u => u.UserName == sam));

        Assert.Equal(HttpStatusCode.OK, partnersSam.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, local.StatusCode);
        Assert.Equal(0, linked);
    }

    /// <summary>
    /// One person's uid is another's mail: the login names nobody in corp, and partners' person of that login is not
    /// asked either (they would take a name corp holds).
    /// </summary>
    [Fact]
    public async Task AnAmbiguousLogin_NamesNobody_AndStopsTheRealm()
    {
        var directory = await SharedLdap.GetAsync();
        var settings = WithPartners(directory.Url, directory.Url);
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, settings);
        var login = LdapScenario.NewLogin("amb");
        await directory.AddPersonAsync(login, "the uid's password");
        await directory.AddPersonAsync(LdapScenario.NewLogin("other"), "the mail's password", mail: login);
        await directory.AddPersonAsync(login, "partners' password", under: OpenLdapServer.Partners);

        var byUid = await scenario.SignInAsync(scenario.Host.CreateBrowser(), login, "the uid's password");
        var byPartners = await scenario.SignInAsync(scenario.Host.CreateBrowser(), login, "partners' password");
        var linked = await HardeningDb.QueryAsync(scenario.Host.Services, db => db.Users.AsNoTracking().CountAsync(u => u.UserName == login));

        Assert.Equal(HttpStatusCode.OK, byUid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byPartners.StatusCode);
        Assert.Equal(0, linked);
    }

    /// <summary>LdapScenario's realm corp (corp, local) with a third store, partners (ou=partners), asked last.</summary>
    private static Dictionary<string, string?> WithPartners(string corpUrl, string partnersUrl)
    {
        var settings = LdapScenario.Settings(corpUrl);
        settings["Idp:Stores:2:Name"] = "partners";
        settings["Idp:Stores:2:Type"] = "Ldap";
        settings["Idp:Stores:2:Ldap:Servers:0"] = partnersUrl;
        settings["Idp:Stores:2:Ldap:AllowPlainLdap"] = "true";
        settings["Idp:Stores:2:Ldap:BindDn"] = OpenLdapServer.ReaderDn;
        settings["Idp:Stores:2:Ldap:BindPassword"] = OpenLdapServer.ReaderPassword;
        settings["Idp:Stores:2:Ldap:SearchBase"] = OpenLdapServer.Partners;
        settings["Idp:Realms:0:Stores:2"] = "partners";
        return settings;
    }
}
