using System.Text.RegularExpressions;

namespace Idp.Tests.Validation;

/// <summary>
/// FreeRADIUS's <c>radclient</c> (Debian's freeradius-utils), as a VPN concentrator would ask: one Access-Request,
/// one try, and what came back. This radclient predates BlastRADIUS' <c>-b</c>; a Message-Authenticator of 0x00
/// in the request makes it compute the real one.
/// </summary>
internal static partial class RadClient
{
    public sealed record Reply(string? Code, string? State, string? ReplyMessage, string Output);

    public static async Task<Reply> SendAsync(int port, string secret, string user, string password, string? state, bool messageAuthenticator)
    {
        var attributes = new List<string> { $"User-Name = \"{user}\"", $"User-Password = \"{password}\"" };
        if (state is not null)
        {
            attributes.Add($"State = 0x{state}");
        }

        if (messageAuthenticator)
        {
            attributes.Add("Message-Authenticator = 0x00");
        }

        var result = await ExternalTool.RunAsync("radclient", ["-x", "-r", "1", "-t", "3", $"127.0.0.1:{port}", "auth", secret], standardInput: string.Join(", ", attributes) + "\n", timeout: TimeSpan.FromSeconds(30));
        var output = result.StandardOutput + result.StandardError;

        // What follows "Received" is the answer; what precedes it echoes the request (whose State is ours).
        var received = output.IndexOf("Received", StringComparison.Ordinal);
        var answer = received < 0 ? string.Empty : output[received..];
        return new Reply(
            ReceivedCode().Match(answer) is { Success: true } code ? code.Groups[1].Value : null,
            StateAttribute().Match(answer) is { Success: true } s ? s.Groups[1].Value : null,
            ReplyMessageAttribute().Match(answer) is { Success: true } m ? m.Groups[1].Value : null,
            output);
    }

    [GeneratedRegex(@"Received (Access-\w+)")]
    private static partial Regex ReceivedCode();

    [GeneratedRegex(@"State = 0x([0-9a-fA-F]+)")]
    private static partial Regex StateAttribute();

    [GeneratedRegex("Reply-Message = \"([^\"]*)\"")]
    private static partial Regex ReplyMessageAttribute();
}
