using System.Diagnostics;
using System.Globalization;
using System.Net;
using Idp.Otp.Algorithms;
using Idp.Testing;
using Idp.UserStores;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Bench;

/// <summary>
/// Directory people against built-in ones: the lookup a sign-in starts with (in process), and full sign-ins over HTTP
/// (the sign-in page's password step, then a TOTP code), one at a time and 8 at a time, for the built-in store and an
/// LDAP store: without connection pooling, pooled with the caches off, and pooled with them on (Idp:StoreCache). Idp
/// on Kestrel and PostgreSQL, the directory a local slapd over ldaps://; each person is looked up once before anything is timed
/// (their record exists, and the cache is warm when on), then given a TOTP device. Each person signs in once (a TOTP
/// step is accepted once per person), so the run stops early when the people run out.
/// </summary>
internal static class StoreLoadBenchmark
{
    private const string Password = "a long enough password";

    public static async Task<int> RunAsync(string[] args)
    {
        var people = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1500;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        const int concurrency = 8;
        await using var directory = await OpenLdapServer.StartAsync();
        await directory.AddPeopleAsync("person", people, Password);
        Console.Error.WriteLine($"{people} people in the directory");

        var ldap = new Dictionary<string, string?>
        {
            ["Idp:Stores:0:Name"] = "corp",
            ["Idp:Stores:0:Type"] = "Ldap",
            // ldaps:// as deployed: each new connection costs a TLS handshake, which the pool saves.
            ["Idp:Stores:0:Ldap:Servers:0"] = directory.SecureUrl,
            ["Idp:Stores:0:Ldap:CaFile"] = directory.CaFile,
            ["Idp:Stores:0:Ldap:BindDn"] = OpenLdapServer.ReaderDn,
            ["Idp:Stores:0:Ldap:BindPassword"] = OpenLdapServer.ReaderPassword,
            ["Idp:Stores:0:Ldap:SearchBase"] = OpenLdapServer.People,
        };
        var unpooled = new Dictionary<string, string?>(ldap) { ["Idp:Stores:0:Ldap:PoolSize"] = "0" };
        var cached = new Dictionary<string, string?>(ldap)
        {
            ["Idp:StoreCache:ResolverLifetime"] = "01:00:00",
            ["Idp:StoreCache:UserLifetime"] = "01:00:00",
        };
        var modes = new (string Name, Dictionary<string, string?> Settings, string Prefix)[]
        {
            ("built-in store", [], "user"),
            ("LDAP, no pool, caches off", unpooled, "person"),
            ("LDAP, pooled, caches off", ldap, "person"),
            ("LDAP, pooled, caches on", cached, "person"),
        };
        var seed = "12345678901234567890"u8.ToArray();
        var results = new List<(double Lookup, double SignIn, double PerSecond, int Failures)>();
        foreach (var (name, settings, prefix) in modes)
        {
            settings["Idp:RateLimits:SignInPerMinute"] = "1000000";
            settings["Logging:LogLevel:Default"] = "Warning";
            var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
            await using var idp = await IdpServerHost.StartAsync(database, settings);
            if (prefix == "user")
            {
                await BenchUsers.PrepareAsync(idp, people, Password, seed);
            }

            var logins = Enumerable.Range(0, people).Select(i => $"{prefix}{i}").ToList();
            await LookUpAllAsync(idp, logins);
            await BenchUsers.GiveDevicesAsync(idp, seed);
            var lookups = await LookUpAllAsync(idp, logins);
            var (signIns, failures) = await SignInAllAsync(idp.BaseUrl, logins.Take(OneAtATime).ToList(), seed);
            var (perSecond, loadFailures) = await LoadAsync(idp.BaseUrl, logins.Skip(OneAtATime).ToList(), seed, seconds, concurrency);
            results.Add((Median(lookups), Median(signIns), perSecond, failures + loadFailures));
            Console.Error.WriteLine($"{name} done");
        }

        Console.WriteLine();
        Console.WriteLine($"| Idp on PostgreSQL, {people} people, directory: local slapd over ldaps:// | {string.Join(" | ", modes.Select(m => m.Name))} |");
        Console.WriteLine($"|---|{string.Concat(modes.Select(_ => "---:|"))}");
        Console.WriteLine(Row("lookup of a login, median (in process)", results.Select(r => $"{r.Lookup:F2} ms")));
        Console.WriteLine(Row("sign-in (password, then code), median, one at a time", results.Select(r => $"{r.SignIn:F1} ms")));
        Console.WriteLine(Row($"sign-ins per second, {concurrency} at a time, up to {seconds} s", results.Select(r => $"{r.PerSecond:F1}")));
        Console.WriteLine(Row("failed (should be 0)", results.Select(r => r.Failures.ToString(CultureInfo.InvariantCulture))));
        Console.WriteLine();
        Console.WriteLine("The built-in store verifies a PBKDF2 hash (Identity's default) on every sign-in; the test directory compares a plain userPassword, so its rows show Idp's own cost and the directory's round trips.");
        return results.Sum(r => r.Failures) == 0 ? 0 : 1;
    }

    private const int OneAtATime = 100;

    private static string Row(string what, IEnumerable<string> values) => $"| {what} | {string.Join(" | ", values)} |";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    /// <summary>Each login through the resolver a sign-in uses, one at a time; the time of each.</summary>
    private static async Task<List<double>> LookUpAllAsync(IdpServerHost idp, List<string> logins)
    {
        var times = new List<double>();
        foreach (var login in logins)
        {
            await using var scope = idp.Services.CreateAsyncScope();
            var resolver = scope.ServiceProvider.GetRequiredService<AccountResolver>();
            var one = Stopwatch.StartNew();
            var found = await resolver.ResolveAsync(login, null, CancellationToken.None);
            times.Add(one.Elapsed.TotalMilliseconds);
            if (found.User is null)
            {
                throw new InvalidOperationException($"{login} not found");
            }
        }

        return times;
    }

    private static async Task<(List<double> Times, int Failures)> SignInAllAsync(Uri baseUrl, List<string> logins, byte[] seed)
    {
        var times = new List<double>();
        var failures = 0;
        foreach (var login in logins)
        {
            var one = Stopwatch.StartNew();
            failures += await SignInAsync(baseUrl, login, seed) ? 0 : 1;
            times.Add(one.Elapsed.TotalMilliseconds);
        }

        return (times, failures);
    }

    /// <summary>Sign-ins per second with <paramref name="concurrency"/> at a time, each login once, until the time or the logins run out.</summary>
    private static async Task<(double PerSecond, int Failures)> LoadAsync(Uri baseUrl, List<string> logins, byte[] seed, int seconds, int concurrency)
    {
        var next = -1;
        var (done, failures) = (0, 0);
        var all = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int index;
            while (all.Elapsed < TimeSpan.FromSeconds(seconds) && (index = Interlocked.Increment(ref next)) < logins.Count)
            {
                var ok = await SignInAsync(baseUrl, logins[index], seed);
                Interlocked.Increment(ref ok ? ref done : ref failures);
            }
        }));
        if (next >= logins.Count)
        {
            Console.Error.WriteLine($"the {logins.Count} people ran out after {all.Elapsed.TotalSeconds:F1} s: more people give a longer run");
        }

        return (done / all.Elapsed.TotalSeconds, failures);
    }

    /// <summary>The sign-in page's password step, then the code: accepted when the code step sends the browser on, not back.</summary>
    private static async Task<bool> SignInAsync(Uri baseUrl, string login, byte[] seed)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseUrl };
        var password = await SignInLoadBenchmark.PostFormAsync(http, "account/login", new() { ["Login"] = login, ["Password"] = Password });
        if (password.StatusCode != HttpStatusCode.Redirect || password.Headers.Location!.OriginalString != "/account/2fa")
        {
            return false;
        }

        var code = Hotp.Format(Totp.ComputeCode(seed, DateTimeOffset.UtcNow, 30, 6, OtpHashAlgorithm.Sha1), 6);
        var second = await SignInLoadBenchmark.PostFormAsync(http, "account/2fa", new() { ["Code"] = code });
        return second.StatusCode == HttpStatusCode.Redirect && !second.Headers.Location!.OriginalString.StartsWith("/account/", StringComparison.Ordinal);
    }
}
