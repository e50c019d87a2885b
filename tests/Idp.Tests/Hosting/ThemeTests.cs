using System.Text.RegularExpressions;

namespace Idp.Tests.Hosting;

public sealed partial class ThemeTests
{
    [Fact]
    public async Task Theme_Setting_SwitchesTheStylesheet()
    {
        await using var plain = await Scenario.StartAsync(DatabaseKind.Sqlite);
        await using var contrast = await Scenario.StartAsync(DatabaseKind.Sqlite, new Dictionary<string, string?> { ["Idp:Theme"] = "contrast" });

        var plainCss = await plain.Host.CreateBrowser().GetStringAsync("/theme/theme.css");
        var contrastCss = await contrast.Host.CreateBrowser().GetStringAsync("/theme/theme.css");
        var contrastPage = await contrast.Host.CreateBrowser().GetStringAsync("/account/login");

        Assert.Contains("--accent: #1f5fbf", plainCss, StringComparison.Ordinal);
        Assert.Contains("--accent: #ffd400", contrastCss, StringComparison.Ordinal);
        Assert.Contains("theme-contrast", contrastPage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/setup")]
    [InlineData("/error/404")]
    public async Task Pages_ReferenceNoThirdPartyHost(string path)
    {
        await using var scenario = await Scenario.StartAsync(DatabaseKind.Sqlite);

        var html = await (await scenario.Host.CreateBrowser().GetAsync(path)).Content.ReadAsStringAsync();
        var css = await scenario.Host.CreateBrowser().GetStringAsync("/theme/theme.css");

        Assert.Empty(ExternalReference().Matches(html));
        Assert.DoesNotContain("url(http", css, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", css, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex("(src|href)=\"(https?:)?//", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
