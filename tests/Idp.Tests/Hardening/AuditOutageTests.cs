using System.Diagnostics;
using System.Net;
using Idp.Audit;
using Idp.Tests.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Idp.Tests.Hardening;

/// <summary>
/// A database outage must not take the node down nor lose audit rows: the writer holds what it could not write and
/// retries until the database is back. Chosen behaviour: tokens that need no database (client_credentials) keep
/// being issued during the outage, and every one of them has its audit row afterwards (within Idp:Audit:BufferSize).
/// </summary>
public sealed class AuditOutageTests
{
    [Fact]
    public async Task ARowTheDatabaseRefuses_DroppedAlone_TheRestWritten()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        await using var host = await IdpTestHost.StartAsync(database);
        var audit = host.Services.GetRequiredService<AuditLog>();

        // Longer than the Type column (64): PostgreSQL refuses it however often it is tried.
        await audit.WriteAsync(new string('x', 100), "test");
        for (var i = 0; i < 5; i++)
        {
            await audit.WriteAsync("test.good", "test", details: $"row {i}");
        }

        var queue = host.Services.GetRequiredService<AuditQueue>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await queue.FlushAsync(timeout.Token);

        Assert.Equal(1, queue.Dropped);
        Assert.Equal(5, (await HardeningDb.AuditAsync(host.Services, "test.good")).Count);
    }

    [Fact]
    public async Task RowsAreGatheredIntoOneInsert_AndWrittenWithoutAnybodyFlushing()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        await using var host = await IdpTestHost.StartAsync(database, new Dictionary<string, string?> { ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information" });
        var audit = host.Services.GetRequiredService<AuditLog>();
        var before = host.Logs.Lines.Count;

        for (var i = 0; i < 3; i++)
        {
            await audit.WriteAsync("test.gathered", "test", details: $"row {i}");
        }

        // No FlushAsync: the writer must write on its own, moments later.
        var waited = Stopwatch.StartNew();
        int written;
        do
        {
            await Task.Delay(10);
            await using var scope = host.Services.CreateAsyncScope();
            written = await scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>().AuditEvents.CountAsync(e => e.Type == "test.gathered");
        }
        while (written < 3 && waited.Elapsed < TimeSpan.FromSeconds(5));

        Assert.Equal(3, written);
        Assert.Single(host.Logs.Lines.Skip(before), l => l.Contains("INSERT INTO \"AuditEvents\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DatabaseStoppedTenSecondsUnderLoad_NodeSurvives_ReadyAgain_EveryIssuedTokenAudited()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var database = await TestDatabase.CreateOnAsync(cluster);
        await using var host = await IdpTestHost.StartAsync(database, OidcClients.Settings());
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var issued = 0;
        using var stopLoad = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            var client = host.CreateBrowser();
            while (!stopLoad.IsCancellationRequested)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
                {
                    Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "api:read" }),
                };
                request.Headers.Authorization = OidcScenario.Basic(OidcClients.Machine, OidcClients.MachineSecret);
                if ((await client.SendAsync(request)).StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref issued);
                }

                await Task.Delay(20);
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(1));
        await cluster.StopServerAsync();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var issuedDuringOutage = Volatile.Read(ref issued);
        await cluster.StartServerAsync();
        var sinceRestart = Stopwatch.StartNew();
        while ((await host.CreateBrowser().GetAsync("/readyz")).StatusCode != HttpStatusCode.OK && sinceRestart.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(250);
        }

        var readyAfter = sinceRestart.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(1));
        await stopLoad.CancelAsync();
        await load;
        using var flushTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var queue = host.Services.GetRequiredService<AuditQueue>();
        await queue.FlushAsync(flushTimeout.Token);

        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the node stopped");
        Assert.True(readyAfter < TimeSpan.FromSeconds(10), $"/readyz took {readyAfter} to come back");
        Assert.True(issuedDuringOutage > 50, $"only {issuedDuringOutage} tokens issued around the outage");
        Assert.Equal(0, queue.Dropped);
        await using var scope = host.Services.CreateAsyncScope();
        var audited = await scope.ServiceProvider.GetRequiredService<Idp.Persistence.IdpDbContext>().AuditEvents.CountAsync(e => e.Type == AuditEventTypes.TokenIssued);
        Assert.Equal(Volatile.Read(ref issued), audited);
    }
}
