using System.Text.RegularExpressions;
using Idp.UserStores.Ldap;
using Idp.UserStores.Sql;
using Microsoft.Extensions.Options;

namespace Idp.UserStores;

/// <summary>Start-up checks of <c>Idp:Stores</c>, <c>Idp:Realms</c> and <c>Idp:DefaultRealm</c>, each message naming its key.</summary>
internal sealed partial class UserStoreOptionsValidator(IHostEnvironment environment) : IValidateOptions<UserStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, UserStoreOptions options)
    {
        var errors = new List<string>();
        var storeNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Stores.Count; i++)
        {
            var store = options.Stores[i];
            var key = $"Idp:Stores:{i}";
            if (string.IsNullOrWhiteSpace(store.Name) || !storeNames.Add(store.Name) || !NamePattern().IsMatch(store.Name))
            {
                errors.Add($"{key}:Name must be set, unique, and letters, digits, '-', '_' or '.' (got \"{store.Name}\").");
            }

            switch (store.Type)
            {
                case UserStoreType.Ldap:
                    errors.AddRange(LdapErrors($"{key}:Ldap", store.Ldap));
                    break;
                case UserStoreType.Sql:
                    errors.AddRange(SqlErrors($"{key}:Sql", store.Sql));
                    break;
            }
        }

        if (options.Stores.Count(s => s.Type == UserStoreType.BuiltIn) > 1)
        {
            errors.Add("Idp:Stores may list the BuiltIn store once.");
        }

        var known = options.EffectiveStores().Select(s => s.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var realmNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Realms.Count; i++)
        {
            var realm = options.Realms[i];
            var key = $"Idp:Realms:{i}";
            if (string.IsNullOrWhiteSpace(realm.Name) || !realmNames.Add(realm.Name) || !NamePattern().IsMatch(realm.Name))
            {
                errors.Add($"{key}:Name must be set, unique, and letters, digits, '-', '_' or '.' (got \"{realm.Name}\").");
            }

            if (realm.Stores.Count == 0)
            {
                errors.Add($"{key}:Stores must list at least one store.");
            }

            for (var j = 0; j < realm.Stores.Count; j++)
            {
                if (!known.Contains(realm.Stores[j]))
                {
                    errors.Add($"{key}:Stores:{j} names no store in Idp:Stores (got \"{realm.Stores[j]}\").");
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(options.DefaultRealm) && !options.EffectiveRealms().Any(r => string.Equals(r.Name, options.DefaultRealm, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"Idp:DefaultRealm names no realm in Idp:Realms (got \"{options.DefaultRealm}\").");
        }

        foreach (var (key, lifetime) in new[] { ("ResolverLifetime", options.StoreCache.ResolverLifetime), ("UserLifetime", options.StoreCache.UserLifetime) })
        {
            if (lifetime < TimeSpan.Zero || lifetime > TimeSpan.FromDays(1))
            {
                errors.Add($"Idp:StoreCache:{key} must be from 00:00:00 (off) to 1.00:00:00 (got {lifetime}).");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private IEnumerable<string> LdapErrors(string key, LdapStoreSettings ldap)
    {
        if (ldap.Servers.Count == 0)
        {
            yield return $"{key}:Servers must list at least one ldap:// or ldaps:// URL.";
        }

        for (var i = 0; i < ldap.Servers.Count; i++)
        {
            if (!Uri.TryCreate(ldap.Servers[i], UriKind.Absolute, out var uri) || (uri.Scheme != "ldap" && uri.Scheme != "ldaps") || string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath is not ("" or "/"))
            {
                yield return $"{key}:Servers:{i} must be ldap://host[:port] or ldaps://host[:port] (got \"{ldap.Servers[i]}\").";
            }
            else if (uri.Scheme == "ldap" && !ldap.StartTls && !ldap.AllowPlainLdap && !environment.IsDevelopment())
            {
                yield return $"{key}:Servers:{i} is plain ldap://, which sends passwords in the clear: use ldaps://, set {key}:StartTls, or set {key}:AllowPlainLdap to accept it.";
            }
        }

        if (!string.IsNullOrEmpty(ldap.CaFile) && OperatingSystem.IsWindows())
        {
            yield return $"{key}:CaFile works with OpenLDAP's library only: on Windows, trust the CA in the machine's certificate store instead.";
        }
        else if (!string.IsNullOrEmpty(ldap.CaFile) && CaFileProblem(ldap.CaFile) is { } problem)
        {
            yield return $"{key}:CaFile: {problem}";
        }

        if (string.IsNullOrWhiteSpace(ldap.SearchBase))
        {
            yield return $"{key}:SearchBase must name the DN searches start from.";
        }

        if (string.IsNullOrEmpty(ldap.BindDn) != string.IsNullOrEmpty(ldap.BindPassword))
        {
            yield return $"{key}:BindDn and {key}:BindPassword go together (both, or neither for anonymous searches).";
        }

        var attributes = ldap.EffectiveLoginAttributes().Select((a, i) => ($"{key}:LoginAttributes:{i}", a))
            .Append(($"{key}:IdAttribute", ldap.IdAttribute)).Append(($"{key}:NameAttribute", ldap.NameAttribute))
            .Append(($"{key}:EmailAttribute", ldap.EmailAttribute)).Append(($"{key}:GroupAttribute", ldap.GroupAttribute));
        foreach (var (attributeKey, attribute) in attributes)
        {
            // RFC 4512 §1.4 descr: a letter, then letters, digits and hyphens. Anything else could change a filter.
            if (string.IsNullOrEmpty(attribute) || !AttributePattern().IsMatch(attribute))
            {
                yield return $"{attributeKey} must be an attribute name (a letter, then letters, digits or '-'; got \"{attribute}\").";
            }
        }

        if (!LdapFilter.IsBalanced(ldap.UserFilter))
        {
            yield return $"{key}:UserFilter must be one parenthesised LDAP filter (RFC 4515), e.g. (objectClass=person).";
        }

        for (var i = 0; i < ldap.GroupRoles.Count; i++)
        {
            var mapping = ldap.GroupRoles[i];
            if (!mapping.Group.Contains('=', StringComparison.Ordinal) || !mapping.Group.Contains(',', StringComparison.Ordinal))
            {
                yield return $"{key}:GroupRoles:{i}:Group must be the group's full DN, e.g. cn=idp-admins,ou=groups,dc=example,dc=org (got \"{mapping.Group}\").";
            }

            if (!Accounts.Roles.Known.Contains(mapping.Role, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{key}:GroupRoles:{i}:Role must name a role Idp knows ({string.Join(", ", Accounts.Roles.Known)}; got \"{mapping.Role}\").";
            }
        }

        if (ldap.Timeout <= TimeSpan.Zero || ldap.Timeout > TimeSpan.FromMinutes(1))
        {
            yield return $"{key}:Timeout must be more than zero and at most 00:01:00 (got {ldap.Timeout}).";
        }

        if (ldap.SearchPageSize is < 1 or > 1000)
        {
            yield return $"{key}:SearchPageSize must be from 1 to 1000 (got {ldap.SearchPageSize}).";
        }

        if (ldap.PoolSize is < 0 or > 100)
        {
            yield return $"{key}:PoolSize must be from 0 (no pooling) to 100 (got {ldap.PoolSize}).";
        }

        if (ldap.PoolIdleTimeout <= TimeSpan.Zero || ldap.PoolIdleTimeout > TimeSpan.FromHours(1))
        {
            yield return $"{key}:PoolIdleTimeout must be more than zero and at most 01:00:00 (got {ldap.PoolIdleTimeout}).";
        }
    }

    private static IEnumerable<string> SqlErrors(string key, SqlStoreSettings sql)
    {
        if (string.IsNullOrWhiteSpace(sql.ConnectionString))
        {
            yield return $"{key}:ConnectionString must say where the table is (PostgreSQL: Host=...;Database=...;Username=...; SQLite: Data Source=path).";
        }
        else if (ConnectionStringProblem(sql) is { } problem)
        {
            yield return $"{key}:ConnectionString cannot be read as a {sql.Provider} connection string ({problem}).";
        }

        var columns = sql.EffectiveLoginColumns().Select((c, i) => ($"{key}:LoginColumns:{i}", (string?)c))
            .Append(($"{key}:Table", sql.Table)).Append(($"{key}:IdColumn", sql.IdColumn)).Append(($"{key}:PasswordColumn", sql.PasswordColumn));
        var optional = new[] { ($"{key}:NameColumn", sql.NameColumn), ($"{key}:EmailColumn", sql.EmailColumn), ($"{key}:GroupsColumn", sql.GroupsColumn), ($"{key}:EnabledColumn", sql.EnabledColumn) };
        foreach (var (columnKey, column) in columns.Concat(optional.Where(o => o.Item2 is not null)))
        {
            if (!SqlIdentifier.IsValid(column))
            {
                yield return $"{columnKey} must be a name: a letter or '_', then letters, digits or '_', optionally schema.name (got \"{column}\").";
            }
        }

        var shown = sql.EffectiveLoginColumns().Concat(new[] { sql.IdColumn, sql.NameColumn, sql.EmailColumn, sql.GroupsColumn, sql.EnabledColumn }.OfType<string>());
        if (shown.Contains(sql.PasswordColumn, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{key}:PasswordColumn must be a column of its own: named as a login, id, name, e-mail, groups or enabled column, hashes would be shown and stored.";
        }

        if (sql.HashFormat is null)
        {
            yield return $"{key}:HashFormat must say how the password column is written: {string.Join(", ", Enum.GetNames<SqlHashFormat>())}.";
        }

        for (var i = 0; i < sql.GroupRoles.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(sql.GroupRoles[i].Group))
            {
                yield return $"{key}:GroupRoles:{i}:Group must name a group as the groups column lists it.";
            }

            if (!Accounts.Roles.Known.Contains(sql.GroupRoles[i].Role, StringComparer.OrdinalIgnoreCase))
            {
                yield return $"{key}:GroupRoles:{i}:Role must name a role Idp knows ({string.Join(", ", Accounts.Roles.Known)}; got \"{sql.GroupRoles[i].Role}\").";
            }
        }

        if (sql.Timeout < TimeSpan.FromSeconds(1) || sql.Timeout > TimeSpan.FromMinutes(1))
        {
            yield return $"{key}:Timeout must be from 00:00:01 to 00:01:00 (got {sql.Timeout}).";
        }
    }

    private static string? ConnectionStringProblem(SqlStoreSettings sql)
    {
        try
        {
            _ = sql.Provider == Hosting.DatabaseProvider.Postgres
                ? new Npgsql.NpgsqlConnectionStringBuilder(sql.ConnectionString).ToString()
                : new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(sql.ConnectionString).ToString();
            return null;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The type only: the message could quote the password.
            return e.GetType().Name;
        }
    }

    private static string? CaFileProblem(string path)
    {
        try
        {
            var certificates = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            certificates.ImportFromPemFile(path);
            return certificates.Count == 0 ? "holds no PEM certificate" : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            return $"cannot be read as PEM certificates ({e.GetType().Name})";
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,63}$")]
    private static partial Regex AttributePattern();
}
