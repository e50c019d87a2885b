using Idp.Hosting;

namespace Idp.Cli;

/// <summary>What a verb works with: the same services and configuration as the server, and its own streams.</summary>
internal sealed class CliContext(IServiceProvider services, TextReader input, TextWriter output, TextWriter error)
{
    public IServiceProvider Services { get; } = services;

    public TextReader Input { get; } = input;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>One clear line on standard error, and the exit code for a refused request.</summary>
    public int Fail(string message)
    {
        Error.WriteLine($"error: {message}");
        return CliExitCodes.Failed;
    }

    /// <summary>Reads a password from standard input: the first line, without its line ending.</summary>
    public string? ReadPassword()
    {
        var line = Input.ReadLine();
        return string.IsNullOrEmpty(line) ? null : line.TrimEnd('\r');
    }
}

internal static class CliExitCodes
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int Usage = 2;
}
