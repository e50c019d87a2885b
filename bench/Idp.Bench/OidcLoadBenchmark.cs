using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Idp.Oidc.Grants;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Bench;

/// <summary>
/// Idp (on Kestrel, PostgreSQL) and node's oidc-provider (in-memory adapter) under the same wrk load, configured
/// alike: RS256, JWT access tokens, refresh tokens rotated on every use, client_secret_basic. Prints one table.
/// Refresh tokens are minted beforehand, one per request, since each works once.
/// </summary>
internal static class OidcLoadBenchmark
{
    private const string ClientId = "bench";
    private const string Secret = "bench-secret-0123456789";
    private static readonly string Basic = "Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes($"{ClientId}:{Secret}"));

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var refreshCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40_000;
        var only = args.Length > 2 ? args[2].Split(',') : null;
        var benchFolder = Path.Combine(RepositoryRoot.Path, "bench", "oidc");
        var work = Directory.CreateTempSubdirectory("idp-bench-").FullName;

        var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        await using var idp = await IdpServerHost.StartAsync(database, IdpSettings());
        var idpTokens = await PrepareIdpAsync(idp, refreshCount, Path.Combine(work, "idp-refresh.txt"));
        Console.Error.WriteLine($"Idp ready at {idp.BaseUrl}");

        // oidc-provider twice: with its state in memory (one process only), and in PostgreSQL like Idp (its own
        // database on the same cluster, over TCP like Idp's).
        using var memory = await StartProviderAsync(benchFolder, work, "memory", refreshCount, postgresUrl: null);
        var providerDatabase = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        using var postgres = await StartProviderAsync(benchFolder, work, "postgres", refreshCount, PostgresUrl(providerDatabase.ConnectionString));

        var rows = new List<(string Endpoint, WrkResult Idp, WrkResult Memory, WrkResult Postgres)>();
        async Task CompareAsync(string name, Func<string, string[]> idpArgs, Func<string, ProviderProcess, string[]> providerArgs)
        {
            if (only is not null && !only.Any(o => name.Contains(o, StringComparison.Ordinal)))
            {
                return;
            }

            var a = await WrkAsync(idpArgs(idp.BaseUrl.ToString().TrimEnd('/')), seconds, benchFolder);
            var b = await WrkAsync(providerArgs(memory.BaseUrl, memory), seconds, benchFolder);
            var c = await WrkAsync(providerArgs(postgres.BaseUrl, postgres), seconds, benchFolder);
            rows.Add((name, a, b, c));
        }

        await CompareAsync("discovery", b => [b + "/.well-known/openid-configuration"], (b, _) => [b + "/.well-known/openid-configuration"]);
        await CompareAsync("jwks", b => [b + "/.well-known/jwks.json"], (b, _) => [b + "/jwks"]);
        var ccBody = "grant_type=client_credentials&scope=api:read";
        await CompareAsync("token: client_credentials", b => ["-s", "post.lua", b + "/connect/token", "--", ccBody, Basic], (b, _) => ["-s", "post.lua", b + "/token", "--", ccBody, Basic]);
        await CompareAsync("token: refresh_token", b => ["-s", "refresh.lua", b + "/connect/token", "--", idpTokens.RefreshFile, "2", Basic], (b, p) => ["-s", "refresh.lua", b + "/token", "--", p.RefreshFile, "2", Basic]);
        await CompareAsync("userinfo", b => ["-s", "bearer.lua", b + "/connect/userinfo", "--", idpTokens.AccessToken], (b, p) => ["-s", "bearer.lua", b + "/me", "--", p.AccessToken]);

        Console.WriteLine();
        Console.WriteLine($"wrk -t2 -c32 -d{seconds}s --latency, every server on this machine (2 cores), one after the other. req/s (p50 ms / p99 ms).");
        Console.WriteLine("Idp and 'oidc-provider, PostgreSQL' keep their state in the same PostgreSQL cluster; 'oidc-provider, memory' keeps it in its process.");
        Console.WriteLine();
        Console.WriteLine("| endpoint | Idp (PostgreSQL) | oidc-provider, PostgreSQL | oidc-provider, memory | Idp / oidc-provider PostgreSQL | Idp / oidc-provider memory |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (endpoint, a, b, c) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {endpoint}{Failures(a, b, c)} | {Cell(a)} | {Cell(c)} | {Cell(b)} | {a.RequestsPerSecond / c.RequestsPerSecond:F2}x | {a.RequestsPerSecond / b.RequestsPerSecond:F2}x |"));
        }

        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static string Cell(WrkResult r) => string.Create(CultureInfo.InvariantCulture, $"{r.RequestsPerSecond:F0} ({r.P50Ms:F1} / {r.P99Ms:F1})");

    private static string Failures(WrkResult a, WrkResult b, WrkResult c)
        => a.NonSuccess + b.NonSuccess + c.NonSuccess == 0 ? string.Empty : $" (non-2xx: Idp {a.NonSuccess}, memory {b.NonSuccess}, PostgreSQL {c.NonSuccess})";

    private static string PostgresUrl(string connectionString)
    {
        var npgsql = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        return $"postgresql://{npgsql.Username}@{npgsql.Host}:{npgsql.Port}/{npgsql.Database}";
    }

    private static async Task<ProviderProcess> StartProviderAsync(string benchFolder, string work, string name, int refreshCount, string? postgresUrl)
    {
        var port = FreePort();
        var tokensFile = Path.Combine(work, $"provider-{name}.json");
        string[] arguments = [Path.Combine(benchFolder, "provider.mjs"), port.ToString(CultureInfo.InvariantCulture), tokensFile, refreshCount.ToString(CultureInfo.InvariantCulture), .. postgresUrl is null ? Array.Empty<string>() : [postgresUrl]];
        var process = Process.Start(new ProcessStartInfo("node", arguments)
        {
            WorkingDirectory = benchFolder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        while (!File.Exists(tokensFile) || new FileInfo(tokensFile).Length == 0)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"oidc-provider ({name}) exited: " + await process.StandardError.ReadToEndAsync());
            }

            await Task.Delay(200);
        }

        await Task.Delay(500);
        var saved = JsonDocument.Parse(await File.ReadAllTextAsync(tokensFile)).RootElement;
        var refreshFile = Path.Combine(work, $"provider-{name}-refresh.txt");
        await File.WriteAllLinesAsync(refreshFile, saved.GetProperty("refreshTokens").EnumerateArray().Select(t => t.GetString()!));
        var baseUrl = $"http://127.0.0.1:{port}";
        Console.Error.WriteLine($"oidc-provider ({name}) ready at {baseUrl}");
        return new ProviderProcess(process, baseUrl, refreshFile, saved.GetProperty("accessToken").GetString()!);
    }

    private static Dictionary<string, string?> IdpSettings() => new()
    {
        // The load comes from one address: per-address limits would measure the limiter, not the server.
        ["Idp:RateLimits:AuthorizePerMinute"] = "1000000",
        ["Idp:RateLimits:TokenPerMinute"] = "1000000",
        ["Idp:RateLimits:TokenInspectionPerMinute"] = "1000000",
        ["Idp:Clients:0:ClientId"] = ClientId,
        ["Idp:Clients:0:ClientSecrets:0"] = Secret,
        ["Idp:Clients:0:RedirectUris:0"] = "http://127.0.0.1/cb",
        ["Idp:Clients:0:AllowedScopes:0"] = Scopes.OpenId,
        ["Idp:Clients:0:AllowedScopes:1"] = Scopes.Profile,
        ["Idp:Clients:0:AllowedScopes:2"] = Scopes.Email,
        ["Idp:Clients:0:AllowedScopes:3"] = Scopes.OfflineAccess,
        ["Idp:Clients:0:AllowedScopes:4"] = "api:read",
        ["Idp:Clients:0:AllowedGrantTypes:0"] = GrantTypes.AuthorizationCode,
        ["Idp:Clients:0:AllowedGrantTypes:1"] = GrantTypes.RefreshToken,
        ["Idp:Clients:0:AllowedGrantTypes:2"] = GrantTypes.ClientCredentials,
        ["Logging:LogLevel:Default"] = "Warning",
    };

    /// <summary>A user, a grant, refresh tokens (one per request to come), and an access token for userinfo.</summary>
    private static async Task<(string RefreshFile, string AccessToken)> PrepareIdpAsync(IdpServerHost idp, int count, string refreshFile)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var user = new IdpUser { UserName = "alice", Email = "alice@example.com", CreatedAt = DateTime.UtcNow };
        await users.CreateAsync(user, "a long enough password");
        var grants = scope.ServiceProvider.GetRequiredService<IGrantStore>();
        var grantId = await grants.CreateGrantAsync(ClientId, user.Id, "bench-session", CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        var now = DateTime.UtcNow;
        var tokens = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            var token = TokenHandles.New();
            tokens.Add(token);
            db.RefreshTokens.Add(new RefreshTokenRecord
            {
                TokenHash = TokenHandles.Hash(token), GrantId = grantId, ClientId = ClientId, UserId = user.Id, SubjectId = user.SubjectId,
                SessionId = "bench-session", Scopes = "openid profile email offline_access", AuthTime = now, Acr = AcrValues.Password,
                Amr = AuthenticationMethods.Password, CreatedAt = now, ExpiresAt = now.AddDays(30),
            });
        }

        await db.SaveChangesAsync();
        await File.WriteAllLinesAsync(refreshFile, tokens);
        var client = scope.ServiceProvider.GetRequiredService<Idp.Oidc.Clients.ClientRegistry>().Find(ClientId)!;
        var subject = new TokenSubject(ClientId, user.Id, user.SubjectId, [Scopes.OpenId, Scopes.Email], "bench-session", now, AcrValues.Password, [AuthenticationMethods.Password], grantId);
        var (accessToken, _, _) = await scope.ServiceProvider.GetRequiredService<TokenFactory>().CreateAccessTokenAsync(client, subject, CancellationToken.None);
        return (refreshFile, accessToken);
    }

    private static async Task<WrkResult> WrkAsync(string[] target, int seconds, string folder)
    {
        // Warm-up: JIT and connection pools, not measured.
        await RunWrkAsync(["-t2", "-c32", "-d2s", .. target], folder, warmUp: true);
        return WrkResult.Parse(await RunWrkAsync(["-t2", "-c32", $"-d{seconds}s", "--latency", .. target], folder, warmUp: false));
    }

    private static async Task<string> RunWrkAsync(string[] arguments, string folder, bool warmUp)
    {
        if (warmUp && arguments.Contains("refresh.lua"))
        {
            return string.Empty; // refresh tokens are single-use: no warm-up run spends them.
        }

        var result = await ExternalTool.RunAsync("wrk", arguments, folder, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed: {result.StandardError}");
        }

        return result.StandardOutput;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
