using System.Globalization;

namespace Idp.Tests.Validation;

/// <summary>
/// A Linux host's PAM stack in front of Idp's RADIUS server, the way OpenVPN's PAM plugin or sshd use it:
/// <c>pamtester</c> drives <c>pam_radius_auth</c>, which answers Idp's Access-Challenge with the code. Debian 12's
/// pam_radius_auth (2.0.0) predates BlastRADIUS and sends no Message-Authenticator, so this client is configured
/// not to require it. PAM reads services only from /etc/pam.d: the test writes one there (it runs as root, as CI does).
/// </summary>
public sealed class PamRadiusTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task PamRadiusAuth_AnswersTheChallengeWithTheCode(DatabaseKind kind)
    {
        await using var radius = await RadiusScenario.StartAsync(kind, "challenge", new Dictionary<string, string?> { ["Idp:Radius:Clients:0:RequireMessageAuthenticator"] = "false" });
        await using var pam = PamService.Create(radius.Port, RadiusScenario.Secret);

        var accepted = await pam.AuthenticateAsync("alice", TestUsers.Password, radius.Code());
        var replayed = await pam.AuthenticateAsync("alice", TestUsers.Password, radius.Code());
        var wrongPassword = await pam.AuthenticateAsync("alice", "not the password", radius.Code(1));

        Assert.True(accepted.ExitCode == 0, accepted.StandardOutput + accepted.StandardError);
        Assert.Contains("successfully authenticated", accepted.StandardOutput + accepted.StandardError, StringComparison.Ordinal);
        Assert.NotEqual(0, replayed.ExitCode);
        Assert.NotEqual(0, wrongPassword.ExitCode);
    }

    /// <summary>A throwaway PAM service: /etc/pam.d/idp-test-N using pam_radius_auth with its own server file.</summary>
    private sealed class PamService : IAsyncDisposable
    {
        private readonly string _service;
        private readonly string _folder;

        private PamService(string service, string folder)
        {
            _service = service;
            _folder = folder;
        }

        public static PamService Create(int port, string secret)
        {
            var service = "idp-test-" + Guid.NewGuid().ToString("N")[..12];
            var folder = Directory.CreateTempSubdirectory("idp-pam-").FullName;
            var servers = Path.Combine(folder, "servers");
            File.WriteAllText(servers, string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port} {secret} 5\n"));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(servers, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.WriteAllText(Path.Combine("/etc/pam.d", service), $"auth required pam_radius_auth.so conf={servers}\naccount required pam_permit.so\n");
            return new PamService(service, folder);
        }

        /// <summary>pamtester reads the conversation's answers from standard input: the password, then the code for the challenge.</summary>
        public Task<ExternalTool.Result> AuthenticateAsync(string user, string password, string code)
            => ExternalTool.RunAsync("pamtester", ["-v", _service, user, "authenticate"], standardInput: $"{password}\n{code}\n", timeout: TimeSpan.FromSeconds(60));

        public ValueTask DisposeAsync()
        {
            File.Delete(Path.Combine("/etc/pam.d", _service));
            Directory.Delete(_folder, recursive: true);
            return ValueTask.CompletedTask;
        }
    }
}
