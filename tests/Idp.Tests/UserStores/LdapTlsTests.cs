using System.Net;
using Idp.Accounts;

namespace Idp.Tests.UserStores;

/// <summary>
/// ldaps:// and StartTLS (RFC 4513 §3) against the test slapd, whose certificate comes from a CA made for the run:
/// trusted only through Idp:Stores:N:Ldap:CaFile, so a refusal without it shows the certificate is really checked.
/// </summary>
public sealed class LdapTlsTests
{
    private const string Password = "the directory's own password";

    [Theory]
    [InlineData("ldaps", false)]
    [InlineData("ldap", true)]
    public async Task WithTheCaFile_APersonSignsInOverTls(string scheme, bool startTls)
    {
        var directory = await SharedLdap.GetAsync();
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, Settings(directory, scheme, startTls, directory.CaFile));
        var login = LdapScenario.NewLogin("tess");
        await directory.AddPersonAsync(login, Password);

        var signIn = await scenario.SignInAsync(scenario.Host.CreateBrowser(), login, Password);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Theory]
    [InlineData("ldaps", false)]
    [InlineData("ldap", true)]
    public async Task WithoutTheCaFile_TheUntrustedDirectoryIsNotAsked(string scheme, bool startTls)
    {
        var directory = await SharedLdap.GetAsync();
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite, Settings(directory, scheme, startTls, caFile: null));
        var login = LdapScenario.NewLogin("ulf");
        await directory.AddPersonAsync(login, Password);

        var signIn = await scenario.SignInAsync(scenario.Host.CreateBrowser(), login, Password);

        Assert.Equal(PasswordCheck.DirectoryUnavailable, (await HtmlForm.ParseAsync(signIn)).QuerySelector("[role=alert]")?.TextContent.Trim());
    }

    /// <summary>A directory that refuses password binds without TLS: StartTLS gets them through, plain LDAP does not.</summary>
    [Fact]
    public async Task StartTls_ReallyCarriesThePasswordBinds()
    {
        await using var directory = await OpenLdapServer.StartAsync(requireTls: true);
        var login = LdapScenario.NewLogin("val");
        await directory.AddPersonAsync(login, Password);
        await using var overTls = await Scenario.StartAsync(DatabaseKind.Sqlite, Settings(directory, "ldap", startTls: true, directory.CaFile));
        var plain = Settings(directory, "ldap", startTls: false, caFile: null);
        plain["Idp:Stores:0:Ldap:AllowPlainLdap"] = "true";
        await using var inTheClear = await Scenario.StartAsync(DatabaseKind.Sqlite, plain);

        var tls = await overTls.SignInAsync(overTls.Host.CreateBrowser(), login, Password);
        var clear = await inTheClear.SignInAsync(inTheClear.Host.CreateBrowser(), login, Password);

        Assert.Equal(HttpStatusCode.Redirect, tls.StatusCode);
        Assert.Equal(PasswordCheck.DirectoryUnavailable, (await HtmlForm.ParseAsync(clear)).QuerySelector("[role=alert]")?.TextContent.Trim());
    }

    [Fact]
    public async Task ACaFileThatIsNotACertificate_StopsStartUp_NamingTheKey()
    {
        var directory = await SharedLdap.GetAsync();
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var notPem = Path.GetTempFileName();
        await File.WriteAllTextAsync(notPem, "not a certificate");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => IdpTestHost.StartAsync(database, Settings(directory, "ldaps", false, notPem)));

        Assert.Contains("Idp:Stores:0:Ldap:CaFile: holds no PEM certificate", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(OpenLdapServer directory, string scheme, bool startTls, string? caFile)
    {
        var settings = LdapScenario.Settings(scheme == "ldaps" ? directory.SecureUrl : directory.Url);
        settings["Idp:Stores:0:Ldap:AllowPlainLdap"] = "false";
        settings["Idp:Stores:0:Ldap:StartTls"] = startTls ? "true" : "false";
        settings["Idp:Stores:0:Ldap:CaFile"] = caFile;
        return settings;
    }
}
