using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Idp.Otp.Algorithms;
using Idp.Persistence.Entities;
using Idp.Radius.Codec;
using Idp.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Bench;

/// <summary>
/// /validate/check and RADIUS PAP, password‖code, each request for a distinct user (a TOTP step is accepted once per
/// user). Idp on Kestrel and PostgreSQL, in this process; the RADIUS client is a minimal one in this process too, so
/// the figures compare the two channels, not a client's start-up. One password hash is measured beside them: it is
/// the floor of every request; what a check costs beyond it is measured on a second node without it.
/// </summary>
internal static class ValidationLoadBenchmark
{
    private const string Password = "a long enough password";
    private const string RadiusSecret = "bench-radius-secret-0123";

    /// <summary>
    /// Checks run before the hashless figure is taken. With .NET's tiered compilation and dynamic PGO a node's checks
    /// keep getting faster for its first thousand or so (measured here: about 5.9 ms for the first 250, 3-4 ms from
    /// about 1,250 on; with tiering off they stay near 5 ms throughout); a node in service runs the steady state.
    /// </summary>
    private const int WarmUp = 2000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] == "hashless")
        {
            return await HashlessOnlyAsync(args[1..]);
        }

        var serial = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 8;
        var seed = "12345678901234567890"u8.ToArray();
        var hashless = await HashlessAsync(serial, WarmUp, seed);
        var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var port = FreeUdpPort();
        await using var idp = await StartAsync(database, port, serial * 2 + 2 * seconds * 100, seed);

        var next = -1;
        string NextUser() => $"user{Interlocked.Increment(ref next)}";
        using var http = new HttpClient { BaseAddress = idp.BaseUrl };
        var radius = new IPEndPoint(IPAddress.Loopback, port);

        // One at a time, a bare hash beside each pair of checks: this machine's speed drifts between seconds.
        var hasher = new PasswordHasher<IdpUser>();
        var storedHash = hasher.HashPassword(new IdpUser(), Password);
        var (hashTimes, apiTimes, radiusTimes) = (new List<double>(), new List<double>(), new List<double>());
        var serialFailures = (Api: 0, Radius: 0);
        for (var i = 0; i < serial; i++)
        {
            hashTimes.Add(Time(() => hasher.VerifyHashedPassword(new IdpUser(), storedHash, Password)));
            var one = Stopwatch.StartNew();
            serialFailures.Api += await CheckAsync(http, NextUser(), seed) ? 0 : 1;
            apiTimes.Add(one.Elapsed.TotalMilliseconds);
            one.Restart();
            serialFailures.Radius += await RadiusAsync(radius, NextUser(), seed) ? 0 : 1;
            radiusTimes.Add(one.Elapsed.TotalMilliseconds);
        }

        var apiSerial = Summarize(apiTimes, 1, serialFailures.Api);
        var radiusSerial = Summarize(radiusTimes, 1, serialFailures.Radius);
        var apiLoad = await LoadAsync(seconds, concurrency, () => CheckAsync(http, NextUser(), seed));
        var radiusLoad = await LoadAsync(seconds, concurrency, () => RadiusAsync(radius, NextUser(), seed));

        Console.WriteLine();
        Console.WriteLine("| password‖code checks, distinct users, Idp on PostgreSQL | /validate/check | RADIUS PAP |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine(Row("p50, one at a time", apiSerial.P50, radiusSerial.P50, "ms"));
        Console.WriteLine(Row("p99, one at a time", apiSerial.P99, radiusSerial.P99, "ms"));
        Console.WriteLine(Row($"per second, {concurrency} at a time", apiLoad.PerSecond, radiusLoad.PerSecond, string.Empty));
        Console.WriteLine(Row($"p50, {concurrency} at a time", apiLoad.P50, radiusLoad.P50, "ms"));
        Console.WriteLine(Row($"p99, {concurrency} at a time", apiLoad.P99, radiusLoad.P99, "ms"));
        Console.WriteLine(Row("p50, one at a time, without the hash", hashless.Api.P50, hashless.Radius.P50, "ms"));
        Console.WriteLine(Row("p99, one at a time, without the hash", hashless.Api.P99, hashless.Radius.P99, "ms"));
        var failures = apiSerial.Failures + apiLoad.Failures + hashless.Api.Failures;
        var radiusFailures = radiusSerial.Failures + radiusLoad.Failures + hashless.Radius.Failures;
        Console.WriteLine($"| refused (should be 0) | {failures} | {radiusFailures} |");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"One password verification (PBKDF2, Identity's default), median of {serial}, each next to the checks: {Median(hashTimes):F1} ms."));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Without the hash: /validate/check {hashless.Api.P50:F2} ms; RADIUS adds {hashless.Radius.P50 - hashless.Api.P50:F2} ms."));
        return failures + radiusFailures == 0 ? 0 : 1;
    }

    /// <summary>
    /// `validate hashless [N] [warm-up]`: only the rows without the hash, in a minute rather than several, with the
    /// median of every 250 checks on the way, so the warm-up can be seen to end.
    /// </summary>
    private static async Task<int> HashlessOnlyAsync(string[] args)
    {
        var serial = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var warmUp = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : WarmUp;
        var hashless = await HashlessAsync(serial, warmUp, "12345678901234567890"u8.ToArray(), showRamp: true);
        Console.WriteLine(Row("p50, one at a time, without the hash", hashless.Api.P50, hashless.Radius.P50, "ms"));
        Console.WriteLine(Row("p99, one at a time, without the hash", hashless.Api.P99, hashless.Radius.P99, "ms"));
        return hashless.Api.Failures + hashless.Radius.Failures == 0 ? 0 : 1;
    }

    /// <summary>
    /// Everything a check costs but its password hash, measured directly rather than as a difference of two noisy
    /// times: a second node whose hashes take one PBKDF2 iteration (its users are hashed with the same options, so
    /// there is no rehash), the API and RADIUS one at a time, alternating, after a warm-up.
    /// </summary>
    private static async Task<(Figures Api, Figures Radius)> HashlessAsync(int serial, int warmUp, byte[] seed, bool showRamp = false)
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var port = FreeUdpPort();
        await using var idp = await StartAsync(database, port, (serial + warmUp) * 2, seed, services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1));
        using var http = new HttpClient { BaseAddress = idp.BaseUrl };
        var radius = new IPEndPoint(IPAddress.Loopback, port);
        var (apiTimes, radiusTimes, failures) = (new List<double>(), new List<double>(), (Api: 0, Radius: 0));
        var ramp = new List<double>();
        for (var i = 0; i < serial + warmUp; i++)
        {
            if (i == warmUp)
            {
                // The code is not yet at its steady state (see WarmUp): those checks are not the figure.
                (apiTimes, radiusTimes, failures) = (new List<double>(), new List<double>(), (Api: 0, Radius: 0));
            }

            var one = Stopwatch.StartNew();
            failures.Api += await CheckAsync(http, $"user{2 * i}", seed) ? 0 : 1;
            apiTimes.Add(one.Elapsed.TotalMilliseconds);
            ramp.Add(one.Elapsed.TotalMilliseconds);
            one.Restart();
            failures.Radius += await RadiusAsync(radius, $"user{(2 * i) + 1}", seed) ? 0 : 1;
            radiusTimes.Add(one.Elapsed.TotalMilliseconds);
            if (showRamp && ramp.Count == 250)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"/validate/check {i - 248}-{i + 1}{(i < warmUp ? " (warm-up)" : string.Empty)}: p50 {Median(ramp):F2} ms"));
                ramp.Clear();
            }
        }

        return (Summarize(apiTimes, 1, failures.Api), Summarize(radiusTimes, 1, failures.Radius));
    }

    private static async Task<IdpServerHost> StartAsync(TestDatabase database, int radiusPort, int users, byte[] seed, Action<IServiceCollection>? services = null)
    {
        var idp = await IdpServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Idp:Validation:Clients:0:Name"] = "bench",
            ["Idp:Validation:Clients:0:Networks:0"] = "127.0.0.0/8",
            ["Idp:Radius:Enabled"] = "true",
            ["Idp:Radius:Address"] = "127.0.0.1",
            ["Idp:Radius:Port"] = radiusPort.ToString(CultureInfo.InvariantCulture),
            ["Idp:Radius:Clients:0:Name"] = "bench",
            ["Idp:Radius:Clients:0:Networks:0"] = "127.0.0.0/8",
            ["Idp:Radius:Clients:0:Secret"] = RadiusSecret,
            ["Idp:RateLimits:ValidationPerMinute"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        }, services: services);
        await BenchUsers.PrepareAsync(idp, users, Password, seed);
        Console.Error.WriteLine($"{users} users ready");
        return idp;
    }

    private sealed record Figures(double P50, double P99, double PerSecond, int Failures);

    private static string Row(string what, double api, double radius, string unit)
        => string.Create(CultureInfo.InvariantCulture, $"| {what} | {api:F1} {unit} | {radius:F1} {unit} |");

    private static double Time(Action action)
    {
        var one = Stopwatch.StartNew();
        action();
        return one.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static async Task<Figures> LoadAsync(int seconds, int concurrency, Func<Task<bool>> check)
    {
        var durations = new List<double>();
        var failures = 0;
        var all = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (all.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var one = Stopwatch.StartNew();
                var ok = await check();
                lock (durations)
                {
                    if (ok)
                    {
                        durations.Add(one.Elapsed.TotalMilliseconds);
                    }
                    else
                    {
                        failures++;
                    }
                }
            }
        }));
        return Summarize(durations, all.Elapsed.TotalSeconds, failures);
    }

    private static Figures Summarize(List<double> durations, double elapsed, int failures)
    {
        durations.Sort();
        return durations.Count == 0
            ? new Figures(double.NaN, double.NaN, 0, failures)
            : new Figures(durations[durations.Count / 2], durations[Math.Min(durations.Count - 1, (int)(durations.Count * 0.99))], durations.Count / elapsed, failures);
    }

    private static string Code(byte[] seed) => Hotp.Format(Totp.ComputeCode(seed, DateTimeOffset.UtcNow, 30, 6, OtpHashAlgorithm.Sha1), 6);

    private static async Task<bool> CheckAsync(HttpClient http, string user, byte[] seed)
    {
        var response = await http.PostAsync("validate/check", new FormUrlEncodedContent([new("user", user), new("pass", Password + Code(seed))]));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("result").GetProperty("authentication").GetString() == "ACCEPT";
    }

    /// <summary>One Access-Request as a NAS sends it (RFC 2865 §5.2 User-Password, RFC 3579 Message-Authenticator), and its answer's code.</summary>
    private static async Task<bool> RadiusAsync(IPEndPoint server, string user, byte[] seed)
    {
        var secret = Encoding.UTF8.GetBytes(RadiusSecret);
        var authenticator = RandomNumberGenerator.GetBytes(16);
        var request = RadiusPacketWriter.Write(RadiusCode.AccessRequest, 1, authenticator,
        [
            new(RadiusAttributeType.MessageAuthenticator, new byte[16]),
            new(RadiusAttributeType.UserName, Encoding.UTF8.GetBytes(user)),
            new(RadiusAttributeType.UserPassword, RadiusCrypto.HidePassword(Encoding.UTF8.GetBytes(Password + Code(seed)), secret, authenticator)),
        ]);
        RadiusCrypto.SignMessage(request, RadiusPacketReader.MinLength + 2, authenticator, secret);
        using var udp = new UdpClient();
        udp.Connect(server);
        await udp.SendAsync(request);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var answer = await udp.ReceiveAsync(timeout.Token);
        return answer.Buffer.Length >= 20 && answer.Buffer[0] == (byte)RadiusCode.AccessAccept;
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
