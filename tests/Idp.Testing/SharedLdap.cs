namespace Idp.Testing;

/// <summary>One OpenLDAP server per test process, started on first use and stopped when the process exits.</summary>
public static class SharedLdap
{
    private static readonly Lazy<Task<OpenLdapServer>> Server = new(StartAsync);

    public static Task<OpenLdapServer> GetAsync() => Server.Value;

    private static async Task<OpenLdapServer> StartAsync()
    {
        await LeftoverTestFolders.ClearAsync("idp-ldap-", OpenLdapServer.StopLeftoverAsync);
        var server = await OpenLdapServer.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server;
    }
}
