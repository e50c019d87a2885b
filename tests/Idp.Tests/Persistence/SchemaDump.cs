using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Idp.Tests.Persistence;

/// <summary>A sorted, textual description of a database's tables, columns, keys, foreign keys and indexes.</summary>
internal static class SchemaDump
{
    public static Task<List<string>> ReadAsync(TestDatabase database)
        => database.Kind == DatabaseKind.Postgres ? PostgresAsync(database.ConnectionString) : SqliteAsync(database.ConnectionString);

    private static async Task<List<string>> PostgresAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        lines.AddRange(await QueryAsync(connection, """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || COALESCE('(' || character_maximum_length || ')', '')
                   || ' nullable=' || is_nullable || ' identity=' || is_identity || ' default=' || COALESCE(column_default, '')
            FROM information_schema.columns WHERE table_schema = 'public'
            """));
        lines.AddRange(await QueryAsync(connection, """
            SELECT 'constraint ' || rel.relname || ' ' || con.conname || ' ' || pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = 'public'
            """));
        lines.AddRange(await QueryAsync(connection, "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'"));
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> SqliteAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        foreach (var table in tables)
        {
            lines.AddRange(await QueryAsync(connection, $"SELECT 'column {table}.' || name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk || ' default=' || COALESCE(dflt_value, '') FROM pragma_table_info('{table}')"));
            lines.AddRange(await QueryAsync(connection, $"SELECT 'fk {table}.' || \"from\" || ' -> ' || \"table\" || '.' || \"to\" || ' on delete ' || on_delete FROM pragma_foreign_key_list('{table}')"));
            foreach (var index in await QueryAsync(connection, $"SELECT name || '|' || \"unique\" FROM pragma_index_list('{table}')"))
            {
                var parts = index.Split('|');
                var columns = await QueryAsync(connection, $"SELECT name FROM pragma_index_info('{parts[0]}') ORDER BY seqno");
                lines.Add($"index {table}.{parts[0]} unique={parts[1]} ({string.Join(",", columns)})");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var result = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetString(0));
        }

        return result;
    }
}
