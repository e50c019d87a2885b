using System.Globalization;

namespace Idp.UserStores;

/// <summary>What Idp accepts of a directory's text: logins it can name a record by, and values it can print.</summary>
internal static class DirectoryText
{
    /// <summary>
    /// A login Idp can name a record by: 1 to <see cref="Accounts.UserDirectory.MaxLoginLength"/> characters, no
    /// control or invisible formatting character (a bidi override would show another name than the one stored), no
    /// white space at either end (lookups trim it, and would then find another account).
    /// </summary>
    public static bool IsUsableLogin(string? login)
        => !string.IsNullOrEmpty(login) && login.Length <= Accounts.UserDirectory.MaxLoginLength
            && !char.IsWhiteSpace(login[0]) && !char.IsWhiteSpace(login[^1]) && !login.Any(IsHidden);

    /// <summary>The text with control and formatting characters shown as '?': a terminal must not run what a directory holds.</summary>
    public static string Printable(string? text) => text is null ? string.Empty : string.Concat(text.Select(c => IsHidden(c) ? '?' : c));

    private static bool IsHidden(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
