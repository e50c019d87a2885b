using System.DirectoryServices.Protocols;
using System.Net;
using System.Text;

using Idp.Hosting;

namespace Idp.UserStores.Ldap;

/// <summary>
/// A read-only LDAP store (OpenLDAP, Active Directory, 389 DS). A login is found by a subtree search as the service
/// account, with the login escaped (RFC 4515 §3); a password is checked by a simple bind as the person (RFC 4513
/// §5.1.3), so the directory's own rules (a disabled account, a changed or expired password) apply at once. Servers
/// are tried in order: the next one when a server cannot be reached, never when it answered "no". Referrals are not
/// chased. Connections are pooled per server (<see cref="LdapConnectionPool"/>).
/// </summary>
internal sealed class LdapDirectoryStore(string name, LdapStoreSettings settings, ILogger<LdapDirectoryStore> logger) : IDirectoryStore, IDisposable
{
    // RFC 4511 §4.1.9 result codes, and OpenLDAP's client-side codes for a connection that could not be used.
    private const int InvalidCredentials = 49;

    /// <summary>The longest DN kept (the column's size); longer ones are refused, not cut.</summary>
    private const int MaxDnLength = 1024;

    private const int MaxAttributeLength = 256;
    private static readonly HashSet<int> Unreachable = [51 /* busy */, 52 /* unavailable */, 81 /* server down */, 85 /* timeout */, 91 /* connect error */];

    private readonly IReadOnlyList<(Uri Server, LdapConnectionPool Pool)> _servers = Pools(settings);

    /// <summary>The attributes a person is read from, asked for by every search (built once, not per sign-in).</summary>
    private readonly string[] _attributes = [.. settings.EffectiveLoginAttributes().Append(settings.IdAttribute).Append(settings.NameAttribute)
        .Append(settings.EmailAttribute).Append(settings.GroupAttribute).Distinct(StringComparer.OrdinalIgnoreCase)];

    public string Name => name;

    public bool HashesPasswords => false;

    public void Dispose()
    {
        foreach (var (_, pool) in _servers)
        {
            pool.Dispose();
        }
    }

    // System.DirectoryServices.Protocols is synchronous; each call holds a pool thread for at most the timeout per server.
    public Task<DirectoryPerson?> FindAsync(string login, CancellationToken cancellationToken)
        => Task.Run(() => OnAnyServer(connection => Find(connection, login)), cancellationToken);

    public Task ProbeAsync(CancellationToken cancellationToken)
        => Task.Run(() => OnAnyServer(connection =>
        {
            BindAsService(connection);
            try
            {
                connection.SendRequest(new SearchRequest(settings.SearchBase, "(objectClass=*)", SearchScope.Base, "1.1") { SizeLimit = 1, TimeLimit = settings.Timeout }, settings.Timeout);
            }
            catch (DirectoryOperationException e)
            {
                throw new DirectoryUnavailableException(name, $"the search base cannot be read ({e.Response?.ResultCode})", e);
            }

            return true;
        }), cancellationToken);

    public Task<bool> CheckPasswordAsync(DirectoryPerson person, string password, bool confirmId, CancellationToken cancellationToken)
    {
        // RFC 4513 §5.1.2: a bind with a DN and an empty password is an unauthenticated bind, which servers may accept.
        if (string.IsNullOrEmpty(password))
        {
            return Task.FromResult(false);
        }

        return Task.Run(() => OnAnyServer(connection =>
        {
            try
            {
                connection.Bind(new NetworkCredential(person.DistinguishedName, password));
            }
            catch (LdapException e) when (e.ErrorCode == InvalidCredentials)
            {
                return false;
            }
            catch (DirectoryOperationException e) when ((int?)e.Response?.ResultCode == InvalidCredentials)
            {
                return false;
            }

            return !confirmId || IdAt(connection, person.DistinguishedName) == person.ExternalId;
        }), cancellationToken);
    }

    private void BindAsService(LdapConnection connection)
    {
        try
        {
            connection.Bind(string.IsNullOrEmpty(settings.BindDn) ? new NetworkCredential() : new NetworkCredential(settings.BindDn, settings.BindPassword));
        }
        catch (LdapException e) when (e.ErrorCode == InvalidCredentials)
        {
            throw new DirectoryUnavailableException(name, "the service account's bind was refused (Idp:Stores:N:Ldap:BindDn, BindPassword)", e);
        }
    }

    private DirectoryPerson? Find(LdapConnection connection, string login)
    {
        BindAsService(connection);

        var loginAttributes = settings.EffectiveLoginAttributes();
        var request = new SearchRequest(settings.SearchBase, LdapFilter.ForLogin(settings.UserFilter, loginAttributes, login), SearchScope.Subtree, _attributes)
        {
            // Two are enough to know the login is ambiguous.
            SizeLimit = 2,
            TimeLimit = settings.Timeout,
        };
        SearchResponse response;
        try
        {
            response = (SearchResponse)connection.SendRequest(request, settings.Timeout);
        }
        catch (DirectoryOperationException e) when (e.Response?.ResultCode == ResultCode.SizeLimitExceeded)
        {
            logger.LogWarning(EventIds.DirectoryAmbiguous, "User store {Store}: more than one entry matches a login; it is refused", name);
            throw new AmbiguousLoginException(name);
        }
        catch (DirectoryOperationException e)
        {
            throw new DirectoryUnavailableException(name, $"the search was refused ({e.Response?.ResultCode})", e);
        }

        if (response.Entries.Count > 1)
        {
            logger.LogWarning(EventIds.DirectoryAmbiguous, "User store {Store}: more than one entry matches a login; it is refused", name);
            throw new AmbiguousLoginException(name);
        }

        if (response.Entries.Count == 0)
        {
            return null;
        }

        return Person(response.Entries[0]);
    }

    /// <summary>
    /// RFC 2696 paged results, pages of <see cref="LdapStoreSettings.SearchPageSize"/> on one connection, until the wanted page is read:
    /// Active Directory (MaxPageSize) and OpenLDAP (size limits) refuse large unpaged searches. The page's place is
    /// counted from the start each time, as a cookie is only good on its own connection, never across requests or nodes.
    /// </summary>
    public Task<DirectorySearchPage> SearchAsync(string text, int skip, int take, CancellationToken cancellationToken)
        => Task.Run(() => OnAnyServer(connection =>
        {
            BindAsService(connection);
            var loginAttributes = settings.EffectiveLoginAttributes();
            string[] searched = [.. loginAttributes, settings.NameAttribute];
            var paging = new PageResultRequestControl(settings.SearchPageSize);
            var request = new SearchRequest(settings.SearchBase, LdapFilter.ForSearch(settings.UserFilter, searched.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), text), SearchScope.Subtree, _attributes)
            {
                TimeLimit = settings.Timeout,
            };
            request.Controls.Add(paging);
            // Counted in entries, so an entry that cannot be linked is left out of its page without moving the next.
            var found = new List<DirectoryPerson?>();
            while (true)
            {
                SearchResponse response;
                try
                {
                    response = (SearchResponse)connection.SendRequest(request, settings.Timeout);
                }
                catch (DirectoryOperationException e)
                {
                    throw new DirectoryUnavailableException(name, $"the search was refused ({e.Response?.ResultCode})", e);
                }

                found.AddRange(response.Entries.Cast<SearchResultEntry>().Select(Person));
                var cookie = response.Controls.OfType<PageResultResponseControl>().FirstOrDefault()?.Cookie;
                if (cookie is not { Length: > 0 })
                {
                    break;
                }

                paging.Cookie = cookie;
                if (found.Count > skip + take)
                {
                    // RFC 2696 §3: a page size of zero with the cookie lets the server forget the rest of the search.
                    paging.PageSize = 0;
                    connection.SendRequest(request, settings.Timeout);
                    break;
                }
            }

            return new DirectorySearchPage(found.Skip(skip).Take(take).OfType<DirectoryPerson>().ToList(), found.Count > skip + take);
        }), cancellationToken);

    /// <summary>An entry as a person; null (and a warning) when it lacks what linking needs.</summary>
    private DirectoryPerson? Person(SearchResultEntry entry)
    {
        var loginAttributes = settings.EffectiveLoginAttributes();
        var id = ExternalId(entry);
        // The record's login is always the directory's own value, never the text typed: an entry without one (or
        // with one too long for a username) is refused rather than named by whoever typed a matching e-mail.
        var directoryLogin = First(entry, loginAttributes[0]);
        if (id is null || !DirectoryText.IsUsableLogin(directoryLogin) || entry.DistinguishedName.Length > MaxDnLength)
        {
            logger.LogWarning(EventIds.DirectoryAmbiguous, "User store {Store}: {Dn} lacks a usable {Id} or {Login}; it cannot be linked", name, entry.DistinguishedName, settings.IdAttribute, loginAttributes[0]);
            return null;
        }

        var groupDns = All(entry, settings.GroupAttribute).Select(LdapNames.Normalize).ToHashSet(StringComparer.Ordinal);
        // Values longer than their columns are dropped or cut here, not left to fail the write.
        var displayName = First(entry, settings.NameAttribute) is { } shown ? shown[..Math.Min(shown.Length, MaxAttributeLength)] : null;
        var email = First(entry, settings.EmailAttribute) is { Length: <= MaxAttributeLength } mail ? mail : null;
        return new DirectoryPerson(name, id, entry.DistinguishedName, directoryLogin!, displayName, email, All(entry, settings.GroupAttribute).Select(LdapNames.FirstValue).ToList())
        {
            Roles = settings.GroupRoles.Where(g => groupDns.Contains(LdapNames.Normalize(g.Group))).Select(g => g.Role).ToHashSet(StringComparer.OrdinalIgnoreCase),
            ManagedRoles = settings.GroupRoles.Select(g => g.Role).ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
    }

    /// <summary>Runs an operation on the first server that can be reached; a server that answers is believed.</summary>
    private T OnAnyServer<T>(Func<LdapConnection, T> operation)
    {
        Exception? last = null;
        foreach (var (server, pool) in _servers)
        {
            try
            {
                return pool.Use(operation);
            }
            catch (LdapException e) when (Unreachable.Contains(e.ErrorCode))
            {
                logger.LogWarning(EventIds.DirectoryUnreachable, "User store {Store}: {Server} cannot be reached ({Code}); trying the next server", name, server, e.ErrorCode);
                last = e;
            }
            catch (LdapException e)
            {
                throw new DirectoryUnavailableException(name, $"{server} answered with error {e.ErrorCode}", e);
            }
            catch (DirectoryOperationException e)
            {
                // Any other refusal (confidentiality required, busy, ...) is the store's trouble, not the person's.
                throw new DirectoryUnavailableException(name, $"{server} refused the operation ({e.Response?.ResultCode})", e);
            }
            catch (Exception e) when (e is DirectoryException or DecoderFallbackException or FormatException or InvalidCastException or ArgumentException)
            {
                // An answer the library cannot read (an attribute that is not UTF-8, a malformed DN): unavailable, never a 500.
                throw new DirectoryUnavailableException(name, $"{server} sent an answer that cannot be read ({e.GetType().Name})", e);
            }
        }

        throw new DirectoryUnavailableException(name, "no server could be reached", last);
    }

    private static List<(Uri Server, LdapConnectionPool Pool)> Pools(LdapStoreSettings settings)
    {
        var trusted = TrustedCertificatesFolder(settings.CaFile);
        return settings.Servers.Select(s => new Uri(s))
            .Select(uri => (uri, new LdapConnectionPool(() => Connect(uri, settings, trusted), settings.PoolSize, settings.PoolIdleTimeout)))
            .ToList();
    }

    private static LdapConnection Connect(Uri server, LdapStoreSettings settings, string? trustedCertificates)
    {
        var port = server.Port > 0 ? server.Port : server.Scheme == "ldaps" ? 636 : 389;
        var connection = new LdapConnection(new LdapDirectoryIdentifier(server.Host, port, fullyQualifiedDnsHostName: false, connectionless: false))
        {
            AuthType = AuthType.Basic,
            Timeout = settings.Timeout,
        };
        try
        {
            Secure(connection, server, settings, trustedCertificates);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Secure(LdapConnection connection, Uri server, LdapStoreSettings settings, string? trustedCertificates)
    {
        connection.SessionOptions.ProtocolVersion = 3;
        connection.SessionOptions.ReferralChasing = ReferralChasingOptions.None;
        if (trustedCertificates is not null && !OperatingSystem.IsWindows())
        {
            // libldap verifies the certificate and the host name itself (TLS_REQCERT demand, its default); this adds
            // the configured CA to what it trusts, for this connection's new TLS context.
            connection.SessionOptions.TrustedCertificatesDirectory = trustedCertificates;
            connection.SessionOptions.StartNewTlsSessionContext();
        }

        if (server.Scheme == "ldaps")
        {
            connection.SessionOptions.SecureSocketLayer = true;
        }
        else if (settings.StartTls)
        {
            // An anonymous bind first opens the connection: on Linux, StartTLS on a handle not yet connected fails with
            // "server down" (dotnet/runtime#96988). It carries no secret; the real binds follow over TLS, and a
            // certificate that does not verify makes StartTLS throw, so no credential is ever sent in the clear.
            connection.Bind(new NetworkCredential());
            connection.SessionOptions.StartTransportLayerSecurity(null);
        }
    }

    /// <summary>The immutable id of the entry a DN names if the store's filter still admits it, read as the person just bound (people may read their own entry); null when it cannot be read.</summary>
    private string? IdAt(LdapConnection connection, string dn)
    {
        try
        {
            // Through the store's filter: an account the filter now excludes (disabled in AD) is refused despite the cache.
            var response = (SearchResponse)connection.SendRequest(new SearchRequest(dn, settings.UserFilter, SearchScope.Base, settings.IdAttribute) { SizeLimit = 1, TimeLimit = settings.Timeout }, settings.Timeout);
            return response.Entries.Count == 1 ? ExternalId(response.Entries[0]) : null;
        }
        catch (DirectoryOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// libldap takes extra trust as a folder (LDAP_OPT_X_TLS_CACERTDIR; GnuTLS reads every file in it): the CA file
    /// is copied into a new private temporary folder (mode 700), never one another local user could have prepared.
    /// </summary>
    private static string? TrustedCertificatesFolder(string? caFile)
    {
        if (string.IsNullOrEmpty(caFile))
        {
            return null;
        }

        var folder = Directory.CreateTempSubdirectory("idp-ldap-ca-").FullName;
        File.Copy(caFile, Path.Combine(folder, "ca.pem"));
        return folder;
    }

    private string? ExternalId(SearchResultEntry entry)
    {
        // Active Directory's objectGUID is 16 raw bytes; entryUUID (RFC 4530) is already text.
        if (string.Equals(settings.IdAttribute, "objectGUID", StringComparison.OrdinalIgnoreCase))
        {
            return Attribute(entry, settings.IdAttribute)?.GetValues(typeof(byte[])) is [byte[] { Length: 16 } bytes, ..] ? new Guid(bytes).ToString() : null;
        }

        return First(entry, settings.IdAttribute);
    }

    private static string? First(SearchResultEntry entry, string attribute) => All(entry, attribute).FirstOrDefault();

    private static IEnumerable<string> All(SearchResultEntry entry, string attribute)
        => Attribute(entry, attribute)?.GetValues(typeof(string)).Cast<string>() ?? [];

    private static DirectoryAttribute? Attribute(SearchResultEntry entry, string attribute)
    {
        foreach (string returned in entry.Attributes.AttributeNames)
        {
            if (string.Equals(returned, attribute, StringComparison.OrdinalIgnoreCase))
            {
                return entry.Attributes[returned];
            }
        }

        return null;
    }
}
