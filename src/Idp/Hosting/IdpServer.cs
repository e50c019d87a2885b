using Microsoft.Extensions.Options;

namespace Idp.Hosting;

/// <summary>Runs the web server; a configuration problem ends start-up with one clear line, not a stack trace.</summary>
internal static class IdpServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            await using var app = IdpApplication.Build(args);
            await app.Services.GetRequiredService<StartupInitializer>().StartAsync(CancellationToken.None);
            await app.RunAsync();
            return 0;
        }
        catch (Exception ex) when (ex is IdpConfigurationException or OptionsValidationException)
        {
            await Console.Error.WriteLineAsync($"Idp cannot start: {ex.Message}");
            return 1;
        }
    }
}
