using System.Diagnostics;

namespace Idp.Testing;

/// <summary>Runs a program to completion and captures its output; used for node-based independent checkers.</summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null, IDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish in time");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs one of the node scripts in tests/js; fails clearly when its packages were not installed.</summary>
    public static Task<Result> NodeScriptAsync(string script, params string[] arguments)
    {
        var folder = RepositoryRoot.Combine("tests", "js");
        if (!Directory.Exists(System.IO.Path.Combine(folder, "node_modules")))
        {
            throw new InvalidOperationException("tests/js/node_modules is missing: run ./test.sh, or `npm ci` in tests/js");
        }

        return RunAsync("node", [System.IO.Path.Combine(folder, script), .. arguments], folder);
    }
}
