using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;

namespace Idp.Hosting;

/// <summary>
/// Checks, before anything binds them, that configured values have the type their option expects, so a typo such as
/// <c>Database:Provider=Postgress</c> or <c>Otp:Digits=abc</c> stops start-up (server and command line alike) with
/// one line naming the key and the expected form. The value itself is never repeated: the key may hold a secret.
/// </summary>
internal static class ConfigurationTypeCheck
{
    /// <summary>The option classes behind the configuration sections Idp reads.</summary>
    private static readonly (string Section, Type Options)[] Sections =
    [
        (IdpOptions.Section, typeof(IdpOptions)),
        (UserStores.UserStoreOptions.Section, typeof(UserStores.UserStoreOptions)),
        (DatabaseOptions.Section, typeof(DatabaseOptions)),
        (Otp.Options.OtpOptions.Section, typeof(Otp.Options.OtpOptions)),
    ];

    /// <exception cref="IdpConfigurationException">A value cannot be read as its option's type.</exception>
    public static void Check(IConfiguration configuration)
    {
        var problems = new List<string>();
        foreach (var (section, type) in Sections)
        {
            CheckObject(configuration.GetSection(section), type, problems);
        }

        if (problems.Count > 0)
        {
            throw new IdpConfigurationException(string.Join(" ", problems));
        }
    }

    private static void CheckObject(IConfigurationSection section, Type type, List<string> problems)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            CheckValue(section.GetSection(property.Name), property.PropertyType, problems);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, List<string> problems)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
        {
            if (section.Value is { Length: > 0 } value && !Converts(value, target))
            {
                problems.Add($"{section.Path} must be {Expected(target)}.");
            }

            return;
        }

        if (target.IsGenericType && typeof(IEnumerable).IsAssignableFrom(target) && target.GetGenericArguments() is [var element])
        {
            foreach (var item in section.GetChildren())
            {
                CheckValue(item, element, problems);
            }

            return;
        }

        if (target.IsClass)
        {
            CheckObject(section, target, problems);
        }
    }

    private static bool IsScalar(Type type)
        => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Uri);

    private static bool Converts(string value, Type type)
    {
        if (type.IsEnum)
        {
            // The binder accepts names case-insensitively; numbers would pass Enum.TryParse but name no member.
            return Enum.GetNames(type).Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromString(null, CultureInfo.InvariantCulture, value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException || ex.InnerException is FormatException or OverflowException)
        {
            return false;
        }
    }

    private static string Expected(Type type) => type switch
    {
        _ when type.IsEnum => $"one of {string.Join(", ", Enum.GetNames(type))}",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(TimeSpan) => "a duration such as 00:15:00 (hh:mm:ss) or 1.00:00:00 (one day)",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ => $"a {type.Name} value",
    };
}
