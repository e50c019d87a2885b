using System.Diagnostics;

namespace Idp.Bench;

/// <summary>A running node oidc-provider, with the refresh tokens and the access token it minted for the run.</summary>
internal sealed record ProviderProcess(Process Process, string BaseUrl, string RefreshFile, string AccessToken) : IDisposable
{
    public void Dispose()
    {
        Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
