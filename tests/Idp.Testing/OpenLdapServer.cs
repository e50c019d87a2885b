using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Idp.Testing;

/// <summary>
/// A real, throwaway OpenLDAP for the test run: Debian's <c>slapd</c> on a free loopback port, an mdb database in a
/// temporary folder loaded by <c>slapadd</c>, the memberOf overlay (groups → roles) and ppolicy (an account disabled
/// by <c>pwdAccountLockedTime</c> cannot bind; failed binds are recorded, locking only after 1000), listening on ldap:// (StartTLS offered) and ldaps:// with a server
/// certificate for 127.0.0.1 from a CA made for the run (<see cref="CaFile"/>). There is no skipping: without slapd every directory test fails with
/// the reason. Tests add their own people, so test classes sharing one server never see each other's changes.
/// </summary>
public sealed class OpenLdapServer : IAsyncDisposable
{
    public const string Suffix = "dc=example,dc=org";
    public const string People = "ou=people," + Suffix;
    public const string Groups = "ou=groups," + Suffix;
    public const string Partners = "ou=partners," + Suffix;
    public const string ReaderDn = "cn=reader," + Suffix;
    public const string ReaderPassword = "reader-secret-0123";
    private const string AdminDn = "cn=admin," + Suffix;
    private const string AdminPassword = "admin-secret-0123";
    private const string Slapd = "/usr/sbin/slapd";

    private readonly string _root;
    private Process? _process;

    private OpenLdapServer(string root, int port, int securePort, bool requireTls)
    {
        _root = root;
        Port = port;
        SecurePort = securePort;
        RequireTls = requireTls;
    }

    /// <summary>Simple binds with a password are refused without TLS (slapd's <c>security simple_bind=128</c>).</summary>
    public bool RequireTls { get; }

    public int Port { get; }

    public int SecurePort { get; }

    public string Url => $"ldap://127.0.0.1:{Port}";

    public string SecureUrl => $"ldaps://127.0.0.1:{SecurePort}";

    /// <summary>The PEM file of the CA that issued the server's certificate; nothing else trusts it.</summary>
    public string CaFile => Path.Combine(_root, "ca.pem");

    /// <param name="requireTls">Refuse password binds that do not come over TLS: proves StartTLS really protects them.</param>
    /// <param name="readerSizeLimit">
    /// At most this many entries for the reader's searches unless paged (RFC 2696), as Active Directory's MaxPageSize.
    /// </param>
    public static async Task<OpenLdapServer> StartAsync(bool requireTls = false, int? readerSizeLimit = null)
    {
        if (!File.Exists(Slapd))
        {
            throw new InvalidOperationException("slapd not found: install the Debian packages 'slapd' and 'ldap-utils' (./test.sh does).");
        }

        var root = Path.Combine(Path.GetTempPath(), $"idp-ldap-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "data"));
        LeftoverTestFolders.Claim(root);
        await File.WriteAllTextAsync(Path.Combine(root, "slapd.conf"), Configuration(root, requireTls, readerSizeLimit));
        await WriteCertificatesAsync(root);
        await File.WriteAllTextAsync(Path.Combine(root, "base.ldif"), BaseEntries);
        var load = await ExternalTool.RunAsync("/usr/sbin/slapadd", ["-f", Path.Combine(root, "slapd.conf"), "-l", Path.Combine(root, "base.ldif")]);
        if (load.ExitCode != 0)
        {
            throw new InvalidOperationException($"slapadd failed: {load.StandardError}");
        }

        var server = new OpenLdapServer(root, FreePort(), FreePort(), requireTls);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Adds a person under ou=people (or <paramref name="under"/>, e.g. <see cref="Partners"/>) and returns the DN.</summary>
    public async Task<string> AddPersonAsync(string uid, string password, string? mail = null, string? displayName = null, string under = People)
    {
        var dn = $"uid={uid},{under}";
        await ModifyAsync($"""
            dn: {dn}
            changetype: add
            objectClass: inetOrgPerson
            uid: {uid}
            cn: {displayName ?? uid}
            sn: {uid}
            mail: {mail ?? uid + "@example.org"}
            userPassword: {password}

            """);
        return dn;
    }

    /// <summary>People prefix0..prefix(count-1), all with one password, in one ldapmodify run (for benchmarks).</summary>
    public Task AddPeopleAsync(string prefix, int count, string password)
        => ModifyAsync(string.Concat(Enumerable.Range(0, count).Select(i =>
            $"dn: uid={prefix}{i},{People}\nchangetype: add\nobjectClass: inetOrgPerson\nuid: {prefix}{i}\ncn: {prefix} {i}\nsn: {prefix}\nmail: {prefix}{i}@example.org\nuserPassword: {password}\n\n")));

    public Task AddGroupAsync(string name, params string[] memberDns)
        => ModifyAsync($"dn: cn={name},{Groups}\nchangetype: add\nobjectClass: groupOfNames\ncn: {name}\n" + string.Concat(memberDns.Select(m => $"member: {m}\n")) + "\n");

    public Task SetPasswordAsync(string dn, string password)
        => ModifyAsync($"dn: {dn}\nchangetype: modify\nreplace: userPassword\nuserPassword: {password}\n\n");

    /// <summary>ppolicy's permanent lock: the account can no longer bind, as a disabled AD account cannot.</summary>
    public Task DisableAsync(string dn)
        => ModifyAsync($"dn: {dn}\nchangetype: modify\nadd: pwdAccountLockedTime\npwdAccountLockedTime: 000001010000Z\n\n");

    /// <summary>Renames uid=old to uid=new (a modrdn, the entry and its entryUUID stay).</summary>
    public async Task<string> RenameAsync(string uid, string newUid)
    {
        await ModifyAsync($"dn: uid={uid},{People}\nchangetype: modrdn\nnewrdn: uid={newUid}\ndeleteoldrdn: 1\n\n");
        return $"uid={newUid},{People}";
    }

    /// <summary>Runs ldapmodify as the directory's administrator, over ldaps:// (trusting the run's CA).</summary>
    public async Task ModifyAsync(string ldif)
    {
        var result = await ExternalTool.RunAsync("ldapmodify", ["-x", "-H", SecureUrl, "-D", AdminDn, "-w", AdminPassword], standardInput: ldif, environment: new Dictionary<string, string> { ["LDAPTLS_CACERT"] = CaFile });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ldapmodify failed ({result.ExitCode}): {result.StandardError}");
        }
    }

    /// <summary>Failed binds ppolicy recorded for an entry (pwdFailureTime; a successful bind clears them).</summary>
    public async Task<int> FailedBindsAsync(string dn)
    {
        var result = await ExternalTool.RunAsync("ldapsearch", ["-x", "-LLL", "-H", SecureUrl, "-D", AdminDn, "-w", AdminPassword, "-b", dn, "-s", "base", "pwdFailureTime"], environment: new Dictionary<string, string> { ["LDAPTLS_CACERT"] = CaFile });
        return result.StandardOutput.Split('\n').Count(l => l.StartsWith("pwdFailureTime:", StringComparison.Ordinal));
    }

    /// <summary>Connections slapd has accepted since it started (cn=Monitor), this query's own included.</summary>
    public async Task<int> ConnectionsAcceptedAsync()
    {
        var result = await ExternalTool.RunAsync("ldapsearch", ["-x", "-LLL", "-H", SecureUrl, "-D", AdminDn, "-w", AdminPassword, "-b", "cn=Total,cn=Connections,cn=Monitor", "-s", "base", "monitorCounter"], environment: new Dictionary<string, string> { ["LDAPTLS_CACERT"] = CaFile });
        var line = result.StandardOutput.Split('\n').FirstOrDefault(l => l.StartsWith("monitorCounter:", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"cn=Monitor did not answer ({result.ExitCode}): {result.StandardError}");
        return int.Parse(line["monitorCounter:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops slapd (the directory is down) until <see cref="StartAsync()"/> on this instance.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process = null;
    }

    public Task RestartAsync() => StartProcessAsync();

    /// <summary>Stops the slapd an ended test process left running in <paramref name="folder"/> (<see cref="LeftoverTestFolders"/>).</summary>
    public static async Task StopLeftoverAsync(string folder)
    {
        try
        {
            // Another test process may be clearing the same folder: a pid file gone meanwhile means nothing to stop.
            if (LeftoverTestFolders.ProcessStartedOn(await File.ReadAllTextAsync(Path.Combine(folder, "slapd.pid")), folder) is { } pid)
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
                // Not a child of this process: where nothing reaps orphans it stays a zombie, which .NET takes for a
                // running process. A killed slapd has let go of its ports and files all the same.
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await process.WaitForExitAsync(patience.Token);
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or OperationCanceledException)
        {
            // Gone already, or a zombie.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private async Task StartProcessAsync()
    {
        // -d 0 keeps slapd in the foreground, so this process owns it and it dies with a kill.
        var start = new ProcessStartInfo(Slapd, ["-f", Path.Combine(_root, "slapd.conf"), "-h", $"{Url}/ {SecureUrl}/", "-d", "0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start slapd");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"slapd exited with {_process.ExitCode}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException("slapd did not listen within 20 s");
    }

    /// <summary>A CA and a server certificate for 127.0.0.1 and localhost, as PEM files slapd (GnuTLS) reads.</summary>
    private static async Task WriteCertificatesAsync(string root)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Idp test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(8));

        await File.WriteAllTextAsync(Path.Combine(root, "ca.pem"), ca.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(root, "server.pem"), server.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(root, "server.key"), serverKey.ExportPkcs8PrivateKeyPem());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Configuration(string root, bool requireTls, int? readerSizeLimit) => $"""
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        include /etc/ldap/schema/nis.schema
        {(requireTls ? "security simple_bind=128" : string.Empty)}
        modulepath /usr/lib/ldap
        moduleload back_mdb
        moduleload ppolicy
        moduleload memberof
        pidfile {root}/slapd.pid
        TLSCACertificateFile {root}/ca.pem
        TLSCertificateFile {root}/server.pem
        TLSCertificateKeyFile {root}/server.key
        database mdb
        maxsize 104857600
        suffix "{Suffix}"
        rootdn "{AdminDn}"
        rootpw {AdminPassword}
        directory {root}/data
        index objectClass,uid,mail eq
        {(readerSizeLimit is { } limit ? $"limits dn.exact=\"{ReaderDn}\" size.soft={limit} size.hard={limit} size.pr={limit} size.prtotal=unlimited" : string.Empty)}
        overlay memberof
        overlay ppolicy
        ppolicy_default "cn=default,ou=policies,{Suffix}"
        access to attrs=userPassword by self write by anonymous auth by * none
        access to * by dn.exact="{ReaderDn}" read by self read by * none
        database monitor
        access to * by dn.exact="{AdminDn}" read by * none

        """;

    private const string BaseEntries = $"""
        dn: {Suffix}
        objectClass: dcObject
        objectClass: organization
        o: Example
        dc: example

        dn: {People}
        objectClass: organizationalUnit
        ou: people

        dn: {Groups}
        objectClass: organizationalUnit
        ou: groups

        dn: {Partners}
        objectClass: organizationalUnit
        ou: partners

        dn: ou=policies,{Suffix}
        objectClass: organizationalUnit
        ou: policies

        dn: cn=default,ou=policies,{Suffix}
        objectClass: device
        objectClass: pwdPolicy
        cn: default
        pwdAttribute: userPassword
        pwdLockout: TRUE
        pwdMaxFailure: 1000

        dn: {ReaderDn}
        objectClass: organizationalRole
        objectClass: simpleSecurityObject
        cn: reader
        userPassword: {ReaderPassword}

        """;
}
