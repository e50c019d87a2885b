using System.Reflection;
using System.Text.Json;
using Idp.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Idp.Backup;

/// <summary>
/// Every table Idp keeps, from the EF model (which <c>SchemaTests</c> proves equal to the migrated schema): in
/// foreign-key order (a row's principal is restored before it), each row written as its properties by CLR name, so an
/// archive from SQLite restores into PostgreSQL and back with the providers' own conversions on each side.
/// </summary>
internal sealed class BackupTables
{
    private static readonly MethodInfo RowsMethod = typeof(BackupTables).GetMethod(nameof(RowsOf), BindingFlags.NonPublic | BindingFlags.Static)!;
    private readonly Dictionary<string, IEntityType> _byTable;

    public BackupTables(IModel model)
    {
        Ordered = PrincipalsFirst(model.GetEntityTypes().Where(t => t.GetTableName() is not null && !t.IsOwned()).ToList());
        _byTable = Ordered.ToDictionary(Table, StringComparer.Ordinal);
    }

    /// <summary>Principals before their dependents; ties by table name, so every archive lists tables alike.</summary>
    public IReadOnlyList<IEntityType> Ordered { get; }

    /// <summary>Rows the migrations insert (0001: the admin role), by table: a condition that matches them.</summary>
    public static IReadOnlyDictionary<string, string> SeededByMigrations { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AspNetRoles"] = "\"Id\" = 'role-admin'",
    };

    public static string Table(IEntityType type) => type.GetTableName()!;

    public IEntityType? Find(string table) => _byTable.GetValueOrDefault(table);

    /// <summary>The table's rows, untracked, streamed (the audit table may be large).</summary>
    public static IAsyncEnumerable<object> Rows(IdpDbContext db, IEntityType type)
        => (IAsyncEnumerable<object>)RowsMethod.MakeGenericMethod(type.ClrType).Invoke(null, [db])!;

    public static void WriteRow(Utf8JsonWriter json, IEntityType type, object entity)
    {
        json.WriteStartObject();
        foreach (var property in type.GetProperties())
        {
            json.WritePropertyName(property.Name);
            JsonSerializer.Serialize(json, property.GetGetter().GetClrValue(entity), property.ClrType);
        }

        json.WriteEndObject();
    }

    /// <summary>
    /// A new entity from an archived row. What one database takes and the other would refuse (text longer than the
    /// column, a NUL character, a time with an offset) is refused here, before anything is written.
    /// </summary>
    public static object ReadRow(IEntityType type, JsonElement row)
    {
        var entity = Activator.CreateInstance(type.ClrType, nonPublic: true)!;
        foreach (var field in row.EnumerateObject())
        {
            var property = type.FindProperty(field.Name) ?? throw new BackupArchiveException($"the archive's table {Table(type)} has a column that this Idp does not know");
            var value = Value(type, property, field.Value);
            if (property.PropertyInfo is { CanWrite: true } clrProperty)
            {
                clrProperty.SetValue(entity, value);
            }
            else if (property.FieldInfo is { } backingField)
            {
                backingField.SetValue(entity, value);
            }
            else
            {
                throw new InvalidOperationException($"{type.ClrType.Name}.{property.Name} cannot be set: the backup cannot restore it");
            }
        }

        return entity;
    }

    private static object? Value(IEntityType type, IProperty property, JsonElement json)
    {
        object? value;
        try
        {
            value = json.Deserialize(property.ClrType);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new BackupArchiveException($"the archive's table {Table(type)} has a value of {property.Name} that cannot be read");
        }

        switch (value)
        {
            case string text when property.GetMaxLength() is { } max && text.Length > max:
                throw new BackupArchiveException($"the archive's table {Table(type)} has a {property.Name} longer than its column ({max} characters)");
            case string text when text.Contains('\0', StringComparison.Ordinal):
                throw new BackupArchiveException($"the archive's table {Table(type)} has a {property.Name} with a NUL character, which PostgreSQL refuses");
            case DateTimeOffset time:
                // PostgreSQL's timestamptz takes UTC only; the instant is the same.
                return time.ToUniversalTime();
            default:
                return value;
        }
    }

    private static IAsyncEnumerable<T> RowsOf<T>(IdpDbContext db) where T : class => db.Set<T>().AsNoTracking().AsAsyncEnumerable();

    private static List<IEntityType> PrincipalsFirst(List<IEntityType> types)
    {
        var ordered = new List<IEntityType>();
        var placed = new HashSet<IEntityType>();
        var remaining = types.OrderBy(Table, StringComparer.Ordinal).ToList();
        while (remaining.Count > 0)
        {
            var ready = remaining.First(t => t.GetForeignKeys().All(fk => fk.PrincipalEntityType == t || placed.Contains(fk.PrincipalEntityType) || !types.Contains(fk.PrincipalEntityType)));
            ordered.Add(ready);
            placed.Add(ready);
            remaining.Remove(ready);
        }

        return ordered;
    }
}
