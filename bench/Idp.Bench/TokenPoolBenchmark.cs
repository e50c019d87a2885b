using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Idp.Admin;
using Idp.Otp.Tokens;
using Idp.Persistence.Entities;
using Idp.Testing;
using Idp.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Bench;

/// <summary>
/// The hardware token pool at 10,000 tokens (#15: "lists and searches in under 200 ms"): an OATH CSV file of that
/// many HOTP tokens imported, 1,000 of them assigned to 1,000 people, then the median time of the listings and
/// searches an administrator makes, over HTTP through /api/admin/tokens (Kestrel, a client-credentials token), on
/// SQLite and on PostgreSQL.
/// </summary>
internal static class TokenPoolBenchmark
{
    private const string ClientId = "bench-admin";
    private const string ClientSecret = "bench-admin-secret-0123456789";

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var repeats = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
        var queries = new (string Name, string Path)[]
        {
            ("first page, all (50)", "/api/admin/tokens"),
            ("page 100, unassigned", "/api/admin/tokens?state=unassigned&skip=4950&take=50"),
            ("serial search, 1 match", "/api/admin/tokens?q=HW-07342"),
            ("holder search, 1 match", "/api/admin/tokens?q=holder0417"),
            ("serial fragment, 1,000 matches", "/api/admin/tokens?q=HW-03"),
            ("one token", "/api/admin/tokens/HW-05000"),
        };
        var rows = new List<(string Database, double Import, double[] Medians)>();
        foreach (var kind in new[] { DatabaseKind.Sqlite, DatabaseKind.Postgres })
        {
            await using var database = await TestDatabase.CreateAsync(kind);
            await using var idp = await IdpServerHost.StartAsync(database, new Dictionary<string, string?>
            {
                ["Idp:Clients:0:ClientId"] = ClientId,
                ["Idp:Clients:0:ClientSecrets:0"] = ClientSecret,
                ["Idp:Clients:0:AllowedGrantTypes:0"] = "client_credentials",
                ["Idp:Clients:0:AllowedScopes:0"] = "idp:admin",
                ["Idp:RateLimits:AdminApiPerMinute"] = "1000000",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            var import = await ImportAsync(idp, count);
            using var api = await ApiAsync(idp);
            var medians = new double[queries.Length];
            for (var q = 0; q < queries.Length; q++)
            {
                var times = new List<double>();
                for (var i = 0; i < repeats + 3; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await api.GetAsync(queries[q].Path);
                    await response.Content.ReadAsByteArrayAsync();
                    watch.Stop();
                    response.EnsureSuccessStatusCode();
                    if (i >= 3)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                    }
                }

                medians[q] = Median(times);
            }

            rows.Add((kind.ToString(), import, medians));
            Console.Error.WriteLine($"{kind} done");
        }

        Console.WriteLine();
        Console.WriteLine($"| {count:N0} tokens, 1,000 assigned; median of {repeats} requests, ms | {string.Join(" | ", rows.Select(r => r.Database))} |");
        Console.WriteLine($"|---|{string.Join("|", rows.Select(_ => "---:"))}|");
        Console.WriteLine($"| import of the OATH CSV file (once, s) | {string.Join(" | ", rows.Select(r => (r.Import / 1000).ToString("F1", CultureInfo.InvariantCulture)))} |");
        for (var q = 0; q < queries.Length; q++)
        {
            Console.WriteLine($"| {queries[q].Name} | {string.Join(" | ", rows.Select(r => r.Medians[q].ToString("F1", CultureInfo.InvariantCulture)))} |");
        }

        return 0;
    }

    /// <summary>The file imported as an administrator would; then 1,000 people each given one token.</summary>
    private static async Task<double> ImportAsync(IdpServerHost idp, int count)
    {
        var csv = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"HW-{i:D5}, {Convert.ToHexStringLower(BitConverter.GetBytes((long)i + 1).Concat(new byte[12]).ToArray())}, hotp, 6, 0\n");
        }

        await using var scope = idp.Services.CreateAsyncScope();
        var seeds = OathCsvReader.Read(new StringReader(csv.ToString()));
        var watch = Stopwatch.StartNew();
        var result = await scope.ServiceProvider.GetRequiredService<TokenImporter>().ImportAsync(seeds, false, "bench", AdminActor.Cli, CancellationToken.None);
        watch.Stop();
        if (result.Problem is not null)
        {
            throw new InvalidOperationException(result.Problem);
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        for (var i = 0; i < 1000; i++)
        {
            await using var each = idp.Services.CreateAsyncScope();
            var user = new IdpUser { UserName = $"holder{i:D4}", CreatedAt = DateTime.UtcNow };
            await each.ServiceProvider.GetRequiredService<UserManager<IdpUser>>().CreateAsync(user);
            var assigned = await each.ServiceProvider.GetRequiredService<TokenPool>().AssignAsync($"HW-{i * 7 % count:D5}", user, null, AdminActor.Cli, CancellationToken.None);
            if (!assigned.Succeeded)
            {
                throw new InvalidOperationException(assigned.Message);
            }
        }

        return watch.Elapsed.TotalMilliseconds;
    }

    private static async Task<HttpClient> ApiAsync(IdpServerHost idp)
    {
        var client = new HttpClient { BaseAddress = idp.BaseUrl };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "idp:admin" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }
}
