using Microsoft.Extensions.Options;

namespace Idp.Hosting.Themes;

/// <summary>
/// Finds the active theme: its folder (CSS, logo) served at /theme/, and its layout, compiled into the app from
/// themes/&lt;name&gt;/_Layout.cshtml. A theme without a layout of its own uses the default theme's.
/// </summary>
internal sealed class ThemeCatalog
{
    public const string DefaultTheme = "default";
    public const string RequestPath = "/theme";

    public ThemeCatalog(IOptions<IdpOptions> options)
    {
        var settings = options.Value;
        Root = ResolveRoot(settings.ThemesPath);
        Name = settings.Theme;
        Folder = Path.Combine(Root, Name);
        if (!Directory.Exists(Folder))
        {
            var available = Directory.Exists(Root) ? string.Join(", ", Directory.GetDirectories(Root).Select(Path.GetFileName).Order()) : "none";
            throw new IdpConfigurationException($"Idp:Theme: there is no folder \"{Name}\" in {Root} (available: {available}).");
        }

        LayoutPath = File.Exists(Path.Combine(Folder, "_Layout.cshtml"))
            ? $"/Themes/{Name}/_Layout.cshtml"
            : $"/Themes/{DefaultTheme}/_Layout.cshtml";
    }

    public string Root { get; }

    public string Name { get; }

    public string Folder { get; }

    /// <summary>The Razor layout pages use.</summary>
    public string LayoutPath { get; }

    private static string ResolveRoot(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        // The build copies themes/ next to the binary (see Idp.csproj).
        return Path.Combine(AppContext.BaseDirectory, "themes");
    }
}
