using Idp.Cli;
using Idp.Hosting;

// With a verb (users, devices, migrate, ...) the binary is the admin command line; with no argument, or only host
// options (--urls ..., --environment ...), it serves. An unknown verb is the command line's to refuse (exit 2): a
// mistyped verb in a script must fail, not start a server the script then waits on.
if (IdpCli.IsCommand(args))
{
    return await IdpCli.RunAsync(args);
}

return await IdpServer.RunAsync(args);

/// <summary>Entry point type, public so test hosts can find the assembly.</summary>
public partial class Program;
