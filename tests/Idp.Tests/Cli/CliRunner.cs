namespace Idp.Tests.Cli;

/// <summary>Runs the admin command line in-process against a test database, capturing its streams.</summary>
public sealed class CliRunner(TestDatabase database, string? secretKey = null, IDictionary<string, string?>? extra = null)
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public async Task<Result> RunWithInputAsync(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var settings = IdpTestHost.DefaultSettings(secretKey ?? TestSecrets.Key);
        foreach (var (key, value) in database.Settings())
        {
            settings[key] = value;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var code = await Idp.Cli.IdpCli.RunAsync(args, new StringReader(stdin), output, error, builder => builder.Configuration.AddInMemoryCollection(settings));
        return new Result(code, output.ToString(), error.ToString());
    }

    public Task<Result> RunAsync(params string[] args) => RunWithInputAsync(string.Empty, args);
}
