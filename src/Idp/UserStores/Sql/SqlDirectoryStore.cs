using System.Data.Common;
using System.Globalization;
using Idp.Hosting;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Idp.UserStores.Sql;

/// <summary>
/// A read-only store of people in a table of another database (PostgreSQL or SQLite). A login is found by a
/// parameterised SELECT over the login columns; a password is checked against the row's hash, read again by the row's
/// id at every check, so a changed password or a disabled row applies at once and a hash is never cached.
/// </summary>
internal sealed class SqlDirectoryStore : IDirectoryStore, IDisposable
{
    private const int MaxAttributeLength = 256;

    private readonly string _name;
    private readonly SqlStoreSettings _settings;
    private readonly ILogger<SqlDirectoryStore> _logger;
    private readonly NpgsqlDataSource? _postgres;
    private readonly string? _sqlite;
    private readonly string _findSql;
    private readonly string _passwordSql;
    private readonly string _probeSql;
    private readonly string _searchSql;

    public SqlDirectoryStore(string name, SqlStoreSettings settings, ILogger<SqlDirectoryStore> logger)
    {
        _name = name;
        _settings = settings;
        _logger = logger;
        var seconds = (int)Math.Ceiling(settings.Timeout.TotalSeconds);
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(settings.ConnectionString)
            {
                Timeout = seconds,
                CommandTimeout = seconds,
                ApplicationName = $"Idp user store {name}",
                // A server error's detail can quote a row's values (a hash among them); logged errors must not.
                IncludeErrorDetail = false,
            };
            // Whatever the account may do, Idp's statements run in read-only transactions: it never writes to a store.
            builder.Options = $"{builder.Options} -c default_transaction_read_only=on".Trim();
            _postgres = NpgsqlDataSource.Create(builder);
        }
        else
        {
            _sqlite = new SqliteConnectionStringBuilder(settings.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, DefaultTimeout = seconds }.ToString();
        }

        var table = SqlIdentifier.Quote(settings.Table);
        var id = SqlIdentifier.Quote(settings.IdColumn);
        var logins = settings.EffectiveLoginColumns().Select(SqlIdentifier.Quote).ToList();
        var enabled = settings.EnabledColumn is null ? "NULL" : SqlIdentifier.Quote(settings.EnabledColumn);
        string[] shown = [id, logins[0], Optional(settings.NameColumn), Optional(settings.EmailColumn), Optional(settings.GroupsColumn), enabled];
        // lower() on both sides: logins match without regard to case, as LDAP's uid and Idp's own user names do. The
        // CAST lets a numeric login column (an employee number) be matched as text.
        var match = string.Join(" OR ", logins.Select(column => $"lower(CAST({column} AS TEXT)) = lower(@login)"));
        _findSql = $"SELECT {string.Join(", ", shown)} FROM {table} WHERE {match} LIMIT 2";
        _passwordSql = $"SELECT {SqlIdentifier.Quote(settings.PasswordColumn)}, {enabled} FROM {table} WHERE {id} = @id LIMIT 2";
        // LIKE with '\' as the escape character: the text's own '%', '_' and '\' match only themselves.
        var contains = string.Join(" OR ", logins.Append(Optional(settings.NameColumn)).Where(c => c != "NULL").Select(column => $"lower(CAST({column} AS TEXT)) LIKE lower(@pattern) ESCAPE '\\'"));
        _searchSql = $"SELECT {string.Join(", ", shown)} FROM {table} WHERE {contains} ORDER BY {logins[0]}, {id} LIMIT @take OFFSET @skip";
        _probeSql = $"SELECT {string.Join(", ", shown.Concat(logins).Append(SqlIdentifier.Quote(settings.PasswordColumn)))} FROM {table} WHERE 1 = 0";
    }

    public string Name => _name;

    public bool HashesPasswords => true;

    /// <summary>Closes the PostgreSQL connection pool when the node stops.</summary>
    public void Dispose() => _postgres?.Dispose();

    public Task<DirectoryPerson?> FindAsync(string login, CancellationToken cancellationToken)
    {
        // PostgreSQL text cannot hold NUL, so no row has such a login; sending it would be refused as a broken statement.
        if (login.Contains('\0', StringComparison.Ordinal))
        {
            return Task.FromResult<DirectoryPerson?>(null);
        }

        return RunAsync(async connection =>
        {
            await using var command = Command(connection, _findSql);
            Add(command, "login", login, typed: true);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var row = Row(reader);
            if (await reader.ReadAsync(cancellationToken))
            {
                _logger.LogWarning(EventIds.DirectoryAmbiguous, "User store {Store}: more than one row matches a login; it is refused", _name);
                throw new AmbiguousLoginException(_name);
            }

            return Person(row);
        });
    }

    public Task ProbeAsync(CancellationToken cancellationToken)
        => RunAsync(async connection =>
        {
            await using var command = Command(connection, _probeSql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return true;
        });

    public Task<DirectorySearchPage> SearchAsync(string text, int skip, int take, CancellationToken cancellationToken)
        => RunAsync(async connection =>
        {
            await using var command = Command(connection, _searchSql);
            Add(command, "pattern", ContainsPattern(text), typed: true);
            Add(command, "take", take + 1);
            Add(command, "skip", skip);
            // Pages are counted in rows, so a row that cannot sign in (disabled, no usable login) is left out of its
            // page without moving the next page's start.
            var rows = new List<DirectoryPerson?>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(Person(Row(reader)));
            }

            return new DirectorySearchPage(rows.Take(take).OfType<DirectoryPerson>().ToList(), rows.Count > take);
        });

    /// <remarks>The row is read again by its id, so <paramref name="confirmId"/> holds by construction.</remarks>
    public Task<bool> CheckPasswordAsync(DirectoryPerson person, string password, bool confirmId, CancellationToken cancellationToken)
        => RunAsync(async connection =>
        {
            await using var command = Command(connection, _passwordSql);
            Add(command, "id", person.ExternalId, typed: false);
            string? hash;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (!await reader.ReadAsync(cancellationToken))
                {
                    return false;
                }

                hash = reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture);
                var enabled = _settings.EnabledColumn is null || (!reader.IsDBNull(1) && IsTrue(reader.GetValue(1)));
                if (!enabled || await reader.ReadAsync(cancellationToken))
                {
                    return false;
                }
            }

            // Hashing is CPU work: off the connection, which goes back to the pool first.
            await connection.CloseAsync();
            return await Task.Run(() => SqlPasswordHashes.Verify(_settings.HashFormat!.Value, hash, password), cancellationToken);
        });

    private DirectoryPerson? Person(object?[] row)
    {
        var id = row[0] switch
        {
            string text => text,
            Guid guid => guid.ToString(),
            long or int or short or decimal => Convert.ToString(row[0], CultureInfo.InvariantCulture),
            _ => null,
        };
        var login = row[1] is null ? null : Convert.ToString(row[1], CultureInfo.InvariantCulture);
        var enabled = _settings.EnabledColumn is null || (row[5] is not null && IsTrue(row[5]!));
        if (!enabled)
        {
            return null;
        }

        // The same rules as an LDAP entry: no usable id or login, no link (never the text someone typed).
        if (string.IsNullOrEmpty(id) || id.Length > MaxAttributeLength || !DirectoryText.IsUsableLogin(login))
        {
            _logger.LogWarning(EventIds.DirectoryAmbiguous, "User store {Store}: a matching row lacks a usable {Id} or {Login}; it cannot be linked", _name, _settings.IdColumn, _settings.EffectiveLoginColumns()[0]);
            return null;
        }

        var displayName = Text(row[2]) is { } shown ? shown[..Math.Min(shown.Length, MaxAttributeLength)] : null;
        var email = Text(row[3]) is { Length: <= MaxAttributeLength } mail ? mail : null;
        var groups = (Text(row[4]) ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return new DirectoryPerson(_name, id, id, login!, displayName, email, groups)
        {
            Roles = _settings.GroupRoles.Where(g => groups.Contains(g.Group, StringComparer.OrdinalIgnoreCase)).Select(g => g.Role).ToHashSet(StringComparer.OrdinalIgnoreCase),
            ManagedRoles = _settings.GroupRoles.Select(g => g.Role).ToHashSet(StringComparer.OrdinalIgnoreCase),
        };
    }

    private async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> operation)
    {
        try
        {
            await using DbConnection connection = _postgres is not null ? _postgres.CreateConnection() : new SqliteConnection(_sqlite);
            await connection.OpenAsync();
            return await operation(connection);
        }
        catch (PostgresException e)
        {
            // The SQLSTATE, not the server's text: that may quote a value someone typed.
            throw new DirectoryUnavailableException(_name, $"the database refused the statement (SQLSTATE {e.SqlState})", e);
        }
        catch (SqliteException e)
        {
            throw new DirectoryUnavailableException(_name, $"the database refused the statement (SQLite error {e.SqliteErrorCode}: {e.Message})", e);
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException or InvalidCastException or FormatException)
        {
            throw new DirectoryUnavailableException(_name, $"the database cannot be reached ({e.GetType().Name})", e);
        }
    }

    private DbCommand Command(DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = (int)Math.Ceiling(_settings.Timeout.TotalSeconds);
        return command;
    }

    /// <param name="typed">False: PostgreSQL infers the type from the column (the id column may be integer, uuid or text).</param>
    private static void Add(DbCommand command, string name, int value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static void Add(DbCommand command, string name, string value, bool typed)
    {
        if (command is NpgsqlCommand postgres && !typed)
        {
            postgres.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Unknown) { Value = value });
            return;
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>A LIKE pattern for "contains the text": its own <c>\</c>, <c>%</c> and <c>_</c> escaped (ESCAPE '\'), NUL dropped (PostgreSQL text cannot hold it).</summary>
    private static string ContainsPattern(string text)
    {
        var escaped = new System.Text.StringBuilder("%", text.Length + 8);
        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' or '%' or '_' => escaped.Append('\\').Append(c),
                '\0' => escaped,
                _ => escaped.Append(c),
            };
        }

        return escaped.Append('%').ToString();
    }

    /// <summary>The current row's values, NULL as null, in the order of the SELECT's columns.</summary>
    private static object?[] Row(DbDataReader reader) => Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i)).ToArray();

    private static string Optional(string? column) => column is null ? "NULL" : SqlIdentifier.Quote(column);

    private static string? Text(object? value) => value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);

    private static bool IsTrue(object value) => value switch
    {
        bool flag => flag,
        long or int or short or decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture) != 0,
        string text => text.Trim().ToUpperInvariant() is "TRUE" or "T" or "1" or "YES" or "Y",
        _ => false,
    };
}
