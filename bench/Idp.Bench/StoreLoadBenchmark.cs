using System.Diagnostics;
using System.Globalization;
using System.Net;
using Idp.Testing;
using Idp.UserStores;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Bench;

/// <summary>
/// Directory people against built-in ones: the lookup a sign-in starts with (in process), and the password step of
/// the sign-in page over HTTP, one at a time and 8 at a time, for the built-in store, an LDAP store with the caches
/// off, and with them on (Idp:StoreCache). Idp on Kestrel and PostgreSQL, the directory a local slapd; each person is
/// looked up once before anything is timed (their record exists, and the cache is warm when on).
/// </summary>
internal static class StoreLoadBenchmark
{
    private const string Password = "a long enough password";

    public static async Task<int> RunAsync(string[] args)
    {
        var people = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        const int concurrency = 8;
        await using var directory = await OpenLdapServer.StartAsync();
        await directory.AddPeopleAsync("person", people, Password);
        Console.Error.WriteLine($"{people} people in the directory");

        var ldap = new Dictionary<string, string?>
        {
            ["Idp:Stores:0:Name"] = "corp",
            ["Idp:Stores:0:Type"] = "Ldap",
            ["Idp:Stores:0:Ldap:Servers:0"] = directory.Url,
            ["Idp:Stores:0:Ldap:AllowPlainLdap"] = "true",
            ["Idp:Stores:0:Ldap:BindDn"] = OpenLdapServer.ReaderDn,
            ["Idp:Stores:0:Ldap:BindPassword"] = OpenLdapServer.ReaderPassword,
            ["Idp:Stores:0:Ldap:SearchBase"] = OpenLdapServer.People,
        };
        var cached = new Dictionary<string, string?>(ldap)
        {
            ["Idp:StoreCache:ResolverLifetime"] = "01:00:00",
            ["Idp:StoreCache:UserLifetime"] = "01:00:00",
        };
        var modes = new (string Name, Dictionary<string, string?> Settings, string Prefix)[]
        {
            ("built-in store", [], "user"),
            ("LDAP, caches off", ldap, "person"),
            ("LDAP, caches on", cached, "person"),
        };
        var results = new List<(double Lookup, double SignIn, double PerSecond, int Failures)>();
        foreach (var (name, settings, prefix) in modes)
        {
            settings["Idp:RateLimits:SignInPerMinute"] = "1000000";
            settings["Logging:LogLevel:Default"] = "Warning";
            var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
            await using var idp = await IdpServerHost.StartAsync(database, settings);
            if (prefix == "user")
            {
                await BenchUsers.PrepareAsync(idp, people, Password, "12345678901234567890"u8.ToArray());
            }

            var logins = Enumerable.Range(0, people).Select(i => $"{prefix}{i}").ToList();
            await LookUpAllAsync(idp, logins);
            var lookups = await LookUpAllAsync(idp, logins);
            var (signIns, failures) = await SignInAllAsync(idp.BaseUrl, logins.Take(people / 3).ToList());
            var (perSecond, loadFailures) = await LoadAsync(idp.BaseUrl, logins.Skip(people / 3).ToList(), seconds, concurrency);
            results.Add((Median(lookups), Median(signIns), perSecond, failures + loadFailures));
            Console.Error.WriteLine($"{name} done");
        }

        Console.WriteLine();
        Console.WriteLine($"| Idp on PostgreSQL, {people} people, directory: local slapd | {string.Join(" | ", modes.Select(m => m.Name))} |");
        Console.WriteLine($"|---|{string.Concat(modes.Select(_ => "---:|"))}");
        Console.WriteLine(Row("lookup of a login, median (in process)", results.Select(r => $"{r.Lookup:F2} ms")));
        Console.WriteLine(Row("password step of the sign-in page, median, one at a time", results.Select(r => $"{r.SignIn:F1} ms")));
        Console.WriteLine(Row($"password steps per second, {concurrency} at a time, {seconds} s", results.Select(r => $"{r.PerSecond:F1}")));
        Console.WriteLine(Row("failed (should be 0)", results.Select(r => r.Failures.ToString(CultureInfo.InvariantCulture))));
        Console.WriteLine();
        Console.WriteLine("The built-in store verifies a PBKDF2 hash (Identity's default) on every sign-in; the test directory compares a plain userPassword, so its rows show Idp's own cost and the directory's round trips.");
        return results.Sum(r => r.Failures) == 0 ? 0 : 1;
    }

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

    private static async Task<(List<double> Times, int Failures)> SignInAllAsync(Uri baseUrl, List<string> logins)
    {
        var times = new List<double>();
        var failures = 0;
        foreach (var login in logins)
        {
            var one = Stopwatch.StartNew();
            failures += await PasswordStepAsync(baseUrl, login) ? 0 : 1;
            times.Add(one.Elapsed.TotalMilliseconds);
        }

        return (times, failures);
    }

    private static async Task<(double PerSecond, int Failures)> LoadAsync(Uri baseUrl, List<string> logins, int seconds, int concurrency)
    {
        var next = -1;
        var (done, failures) = (0, 0);
        var all = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (all.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var ok = await PasswordStepAsync(baseUrl, logins[Interlocked.Increment(ref next) % logins.Count]);
                Interlocked.Increment(ref ok ? ref done : ref failures);
            }
        }));
        return (done / all.Elapsed.TotalSeconds, failures);
    }

    /// <summary>The sign-in page's password step: accepted when it sends the browser on, not back to the page.</summary>
    private static async Task<bool> PasswordStepAsync(Uri baseUrl, string login)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseUrl };
        var response = await SignInLoadBenchmark.PostFormAsync(http, "account/login", new() { ["Login"] = login, ["Password"] = Password });
        return response.StatusCode == HttpStatusCode.Redirect && !response.Headers.Location!.OriginalString.StartsWith("/account/login", StringComparison.Ordinal);
    }
}
