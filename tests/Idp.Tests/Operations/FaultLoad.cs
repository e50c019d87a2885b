using System.Net;
using Idp.Audit;
using Idp.Tests.Oidc;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.Operations;

/// <summary>
/// Load on two nodes of one database while a fault is played: clients that sign in once then refresh over and over
/// (keeping the last refresh token they were given), and clients that sign in through the code flow every turn.
/// Every response is recorded. A refresh refused with 400 means a token the client had been given is gone: lost.
/// </summary>
internal sealed class FaultLoad : IAsyncDisposable
{
    private const int Refreshing = 4;
    private const int SigningIn = 2;

    private readonly CancellationTokenSource _stop = new();
    private readonly int[] _holding = new int[Refreshing + SigningIn];
    private List<Task<string?>> _refreshers = [];
    private List<Task<string?>> _signers = [];
    private int _lost;

    private FaultLoad(OidcScenario nodeA, OidcScenario nodeB, ResponseRecorder recorder)
    {
        NodeA = nodeA;
        NodeB = nodeB;
        Recorder = recorder;
    }

    public OidcScenario NodeA { get; }

    public OidcScenario NodeB { get; }

    public ResponseRecorder Recorder { get; }

    /// <summary>Two nodes on <paramref name="database"/>, its users, and the clients running, each holding a refresh token.</summary>
    public static async Task<FaultLoad> StartAsync(TestDatabase database)
    {
        var recorder = new ResponseRecorder();
        var nodeA = await OidcScenario.StartOnAsync(database, services: ResponseRecorder.On(recorder));
        var nodeB = await OidcScenario.StartOnAsync(database, services: ResponseRecorder.On(recorder));
        var load = new FaultLoad(nodeA, nodeB, recorder);
        for (var i = 0; i < Refreshing + SigningIn; i++)
        {
            await nodeA.Inner.CreateUserAsync($"user{i}", OidcScenario.Password);
        }

        load._refreshers = Enumerable.Range(0, Refreshing).Select(i => Task.Run(() => load.WorkAsync(i, signInEveryTurn: false))).ToList();
        load._signers = Enumerable.Range(Refreshing, SigningIn).Select(i => Task.Run(() => load.WorkAsync(i, signInEveryTurn: true))).ToList();

        // Six first sign-ins share two cores: the fault waits until every client holds a token.
        for (var waited = 0; load._holding.Sum() < load._holding.Length && waited < 600; waited++)
        {
            await Task.Delay(50);
        }

        Assert.True(load._holding.Sum() == load._holding.Length, $"only {load._holding.Sum()} of {load._holding.Length} clients signed in within 30 s, before any fault");
        await Task.Delay(TimeSpan.FromSeconds(1));
        return load;
    }

    /// <summary>When the first refresh after <paramref name="after"/> succeeded (service is back), or after 30 s.</summary>
    public async Task<TimeSpan> FirstRefreshAfterAsync(TimeSpan after)
    {
        while (Recorder.Now - after < TimeSpan.FromSeconds(30))
        {
            if (Recorder.Entries.FirstOrDefault(e => e.At > after && e.Path == "/connect/token" && e.Status == 200) is { } first)
            {
                return first.At;
            }

            await Task.Delay(50);
        }

        return Recorder.Now;
    }

    /// <summary>Stops the clients, then checks every refresh token they hold on node A.</summary>
    public async Task<FaultResult> StopAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(2));
        await _stop.CancelAsync();
        var held = (await Task.WhenAll(_refreshers)).OfType<string>().ToList();
        await Task.WhenAll(_signers);
        var stillValid = 0;
        foreach (var token in held)
        {
            stillValid += (await NodeA.RefreshAsync(token)).IsSuccessStatusCode ? 1 : 0;
        }

        await using var scope = NodeA.Host.Services.CreateAsyncScope();
        var reuses = await scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>().AuditEvents.CountAsync(e => e.Type == AuditEventTypes.RefreshTokenReused);
        return new FaultResult(Recorder.Entries.ToList(), Refreshing, held.Count, stillValid, Volatile.Read(ref _lost), reuses);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await NodeA.DisposeAsync();
        await NodeB.DisposeAsync();
        _stop.Dispose();
    }

    private async Task<string?> WorkAsync(int worker, bool signInEveryTurn)
    {
        OidcScenario[] nodes = [NodeA, NodeB];
        string? refresh = null;
        for (var turn = worker; !_stop.IsCancellationRequested; turn++)
        {
            var node = nodes[turn % nodes.Length];
            try
            {
                if (refresh is null || signInEveryTurn)
                {
                    var pkce = Pkce.Create();
                    var callback = await node.BrowseAsync(node.Host.CreateBrowser(), OidcScenario.AuthorizeUrl(OidcScenario.CodeRequest(scope: "openid offline_access", pkce: pkce)), $"user{worker}");
                    if (callback.StatusCode == HttpStatusCode.Redirect && OidcScenario.CallbackParameters(callback.Headers.Location!).TryGetValue("code", out var code))
                    {
                        var redeemed = await node.RedeemAsync(code, pkce);
                        refresh = redeemed.IsSuccessStatusCode ? (await OidcScenario.JsonAsync(redeemed)).GetProperty("refresh_token").GetString() : refresh;
                    }
                }
                else
                {
                    var refreshed = await node.RefreshAsync(refresh);
                    if (refreshed.IsSuccessStatusCode)
                    {
                        refresh = (await OidcScenario.JsonAsync(refreshed)).GetProperty("refresh_token").GetString();
                    }
                    else if (refreshed.StatusCode == HttpStatusCode.BadRequest)
                    {
                        Interlocked.Increment(ref _lost);
                        refresh = null;
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or Xunit.Sdk.XunitException or NullReferenceException)
            {
                // A page answered 503 instead of its form: this turn is lost to the outage, the next one tries again.
            }

            Volatile.Write(ref _holding[worker], refresh is null ? 0 : 1);
            await Task.Delay(20, CancellationToken.None);
        }

        return refresh;
    }
}
