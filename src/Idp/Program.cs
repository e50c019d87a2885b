using Idp.Cli;
using Idp.Hosting;

// With a verb (users, devices, migrate, ...) the binary is the admin command line; without one it serves.
if (IdpCli.IsCommand(args))
{
    return await IdpCli.RunAsync(args);
}

return await IdpServer.RunAsync(args);

/// <summary>Entry point type, public so test hosts can find the assembly.</summary>
public partial class Program;
