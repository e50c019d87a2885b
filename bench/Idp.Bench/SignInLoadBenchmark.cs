using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Parser;
using Idp.Otp.Algorithms;
using Idp.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Idp.Bench;

/// <summary>
/// Full sign-ins over HTTP, no browser: authorize, password, one-time code, authorization code, token redemption.
/// Each sign-in uses its own user (a TOTP step signs in once), all with one precomputed password hash so that
/// preparing thousands of users does not take minutes. Idp on Kestrel and PostgreSQL.
/// </summary>
internal static class SignInLoadBenchmark
{
    private const string Password = "a long enough password";
    private const string Secret = "bench-secret-0123456789";
    private const string Redirect = "https://app.bench/cb";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 8;
        var users = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3000;
        var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        await using var idp = await IdpServerHost.StartAsync(database, new Dictionary<string, string?>
        {
            ["Idp:Clients:0:ClientId"] = "app",
            ["Idp:Clients:0:ClientSecrets:0"] = Secret,
            ["Idp:Clients:0:RedirectUris:0"] = Redirect,
            ["Idp:RateLimits:SignInPerMinute"] = "100000",
            // The load comes from one address: per-address limits would measure the limiter, not the server.
            ["Idp:RateLimits:AuthorizePerMinute"] = "1000000",
            ["Idp:RateLimits:TokenPerMinute"] = "1000000",
            ["Idp:RateLimits:TokenInspectionPerMinute"] = "1000000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        var seed = "12345678901234567890"u8.ToArray();
        await BenchUsers.PrepareAsync(idp, users, Password, seed);
        Console.Error.WriteLine($"{users} users ready; {concurrency} concurrent sign-ins for {seconds} s");

        var next = -1;
        var durations = new List<double>();
        var failures = 0;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (stop.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                var index = Interlocked.Increment(ref next);
                if (index >= users)
                {
                    return;
                }

                var one = Stopwatch.StartNew();
                var ok = await SignInAsync(idp.BaseUrl, $"user{index}", seed);
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
        var elapsed = stop.Elapsed.TotalSeconds;
        durations.Sort();
        var median = durations.Count == 0 ? double.NaN : durations[durations.Count / 2];
        var p99 = durations.Count == 0 ? double.NaN : durations[(int)(durations.Count * 0.99)];
        Console.WriteLine();
        Console.WriteLine("| full sign-ins (password + code + authorization code + token), Idp on PostgreSQL | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| completed sign-ins per second ({concurrency} at a time, {elapsed:F0} s) | {durations.Count / elapsed:F1} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| median time of one sign-in | {median:F0} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| 99th percentile | {p99:F0} ms |"));
        Console.WriteLine($"| failed sign-ins | {failures} |");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ceiling from password hashing alone (~43 ms of one core each, {Environment.ProcessorCount} cores) | {Environment.ProcessorCount * 1000 / 43.0:F0} |"));
        if (concurrency == 1 && next + 1 + RoundTripSample <= users)
        {
            var perSignIn = await RoundTripsPerSignInAsync(idp, next + 1, seed);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| database round trips per sign-in ({RoundTripSample} one at a time, counted by Npgsql, audit batches included) | {perSignIn:F1} |"));
        }

        return failures == 0 ? 0 : 1;
    }

    private const int RoundTripSample = 20;

    /// <summary>
    /// Database round trips per sign-in, counted by Npgsql itself: every command it sends (a batch counts once) records
    /// one <c>db.client.operation.duration</c> measurement. Idp runs in this process, so the count covers everything it
    /// sends during a few sign-ins one at a time, background audit batches included.
    /// </summary>
    private static async Task<double> RoundTripsPerSignInAsync(IdpServerHost idp, int firstUser, byte[] seed)
    {
        long commands = 0;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Npgsql" && instrument.Name == "db.client.operation.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref commands));
        listener.Start();
        await idp.Services.GetRequiredService<Idp.Audit.AuditQueue>().FlushAsync();
        Interlocked.Exchange(ref commands, 0);
        for (var i = 0; i < RoundTripSample; i++)
        {
            await SignInAsync(idp.BaseUrl, $"user{firstUser + i}", seed);
        }

        await idp.Services.GetRequiredService<Idp.Audit.AuditQueue>().FlushAsync();
        return Interlocked.Read(ref commands) / (double)RoundTripSample;
    }

    private static async Task<bool> SignInAsync(Uri baseUrl, string userName, byte[] seed)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = baseUrl };
        var verifier = System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var authorize = QueryHelpers.AddQueryString("connect/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = "app", ["redirect_uri"] = Redirect, ["response_type"] = "code", ["scope"] = "openid",
            ["state"] = "s", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256",
        });
        var response = await http.GetAsync(authorize);
        response = await PostFormAsync(http, response.Headers.Location!.OriginalString, new() { ["Login"] = userName, ["Password"] = Password });
        var code = Hotp.Format(Totp.ComputeCode(seed, DateTimeOffset.UtcNow, 30, 6, OtpHashAlgorithm.Sha1), 6);
        response = await PostFormAsync(http, response.Headers.Location!.OriginalString, new() { ["Code"] = code });
        while (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.StartsWith('/'))
        {
            response = await http.GetAsync(response.Headers.Location.OriginalString);
        }

        if (response.Headers.Location?.ToString().StartsWith(Redirect, StringComparison.Ordinal) != true)
        {
            return false;
        }

        var authorizationCode = QueryHelpers.ParseQuery(response.Headers.Location.Query)["code"].ToString();
        var tokens = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = authorizationCode, ["redirect_uri"] = Redirect, ["code_verifier"] = verifier,
            ["client_id"] = "app", ["client_secret"] = Secret,
        }));
        return tokens.IsSuccessStatusCode;
    }

    /// <summary>Gets the page's form, adds its hidden fields (the antiforgery token) to the values, and posts them.</summary>
    internal static async Task<HttpResponseMessage> PostFormAsync(HttpClient http, string path, Dictionary<string, string> values)
    {
        var page = new HtmlParser().ParseDocument(await http.GetStringAsync(path));
        foreach (var input in page.QuerySelectorAll("form input[type=hidden]"))
        {
            values.TryAdd(input.GetAttribute("name")!, input.GetAttribute("value") ?? string.Empty);
        }

        return await http.PostAsync(path, new FormUrlEncodedContent(values));
    }
}
