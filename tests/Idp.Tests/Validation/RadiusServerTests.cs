using System.Net;
using System.Net.Sockets;
using Idp.Audit;
using Idp.Radius;
using Idp.Radius.Codec;
using Idp.Tests.Hardening;
using Idp.Tests.SecondFactor;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tests.Validation;

/// <summary>The built-in RADIUS server driven by FreeRADIUS's radclient, as a VPN concentrator drives it.</summary>
public sealed class RadiusServerTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task PasswordAndCode_AreAcceptedOnce(DatabaseKind kind)
    {
        await using var radius = await RadiusScenario.StartAsync(kind);

        var accepted = await radius.SendAsync("alice", TestUsers.Password + radius.Code());
        var replayed = await radius.SendAsync("alice", TestUsers.Password + radius.Code());
        var wrongPassword = await radius.SendAsync("alice", "not the password" + radius.Code(1));

        Assert.Equal("Access-Accept", accepted.Code);
        Assert.Equal("Access-Reject", replayed.Code);
        Assert.Equal("the code was already used", replayed.ReplyMessage);
        Assert.Equal("Access-Reject", wrongPassword.Code);
        Assert.Contains("radius, client vpn", Assert.Single(await HardeningDb.AuditAsync(radius.Host.Services, AuditEventTypes.ValidationAccepted)).Details, StringComparison.Ordinal);
        Assert.Contains("sign-in (radius, client vpn)", Assert.Single(await HardeningDb.AuditAsync(radius.Host.Services, AuditEventTypes.OtpSucceeded)).Details, StringComparison.Ordinal);
        var events = await HardeningDb.QueryAsync(radius.Host.Services, db => db.AuditEvents.AsNoTracking().Select(e => e.Details ?? string.Empty).ToListAsync());
        Assert.DoesNotContain(events.Concat(radius.Host.Logs.Lines), line => line.Contains(TestUsers.Password, StringComparison.Ordinal) || line.Contains(radius.Code(), StringComparison.Ordinal) || line.Contains(radius.Code(1), StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task ThePasswordAlone_IsChallenged_AndTheCodeWithItsStateAccepted(DatabaseKind kind)
    {
        await using var radius = await RadiusScenario.StartAsync(kind, "challenge");

        var challenge = await radius.SendAsync("alice", TestUsers.Password);
        var accepted = await radius.SendAsync("alice", radius.Code(), challenge.State);
        var reused = await radius.SendAsync("alice", radius.Code(1), challenge.State);

        Assert.Equal("Access-Challenge", challenge.Code);
        Assert.Equal("Enter the code from your authenticator", challenge.ReplyMessage);
        Assert.NotNull(challenge.State);
        Assert.Equal("Access-Accept", accepted.Code);
        Assert.Equal("Access-Reject", reused.Code);
    }

    [Fact]
    public async Task AWrongSharedSecret_IsNeverAccepted()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite);

        var reply = await radius.SendAsync("alice", TestUsers.Password + radius.Code(), secret: "another secret, also long");

        // The Message-Authenticator does not verify under our secret: the request is discarded, never answered.
        Assert.Null(reply.Code);
        Assert.Empty(await HardeningDb.AuditAsync(radius.Host.Services, AuditEventTypes.OtpSucceeded));
        Assert.Equal(1, radius.Host.Services.GetRequiredService<RadiusRequestHandler>().Dropped);
    }

    [Fact]
    public async Task WithoutMessageAuthenticator_TheRequestIsDiscarded_WhenItIsRequired()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite);

        var reply = await radius.SendAsync("alice", TestUsers.Password + radius.Code(), messageAuthenticator: false);

        Assert.Null(reply.Code);
        Assert.Empty(await HardeningDb.AuditAsync(radius.Host.Services, AuditEventTypes.OtpSucceeded));
    }

    [Fact]
    public async Task WithoutMessageAuthenticator_TheRequestIsServed_WhenNotRequired()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite, more: new Dictionary<string, string?> { ["Idp:Radius:RequireMessageAuthenticator"] = "false" });

        var reply = await radius.SendAsync("alice", TestUsers.Password + radius.Code(), messageAuthenticator: false);

        Assert.Equal("Access-Accept", reply.Code);
    }

    [Fact]
    public async Task ACodeUsedOverRadius_IsRefusedInTheBrowser()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite);
        var browser = radius.Host.CreateBrowser();

        Assert.Equal("Access-Accept", (await radius.SendAsync("alice", TestUsers.Password + radius.Code())).Code);
        await radius.Scenario.SignInAsync(browser, "alice", TestUsers.Password);
        var inBrowser = await SecondFactorScenario.SubmitCodeAsync(browser, radius.Code());

        Assert.Contains("already used", await inBrowser.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARetransmittedRequest_GetsTheSameAnswer_AndIsCheckedOnce()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite);
        var request = NasRequest(42, TestUsers.Password + radius.Code());
        using var nas = new UdpClient();
        nas.Connect(IPAddress.Loopback, radius.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await nas.SendAsync(request);
        var first = (await nas.ReceiveAsync(timeout.Token)).Buffer;
        await nas.SendAsync(request);
        var second = (await nas.ReceiveAsync(timeout.Token)).Buffer;

        // RFC 5080 §2.2.2: the NAS lost the first answer and asks again; checking again would reject the spent code.
        Assert.Equal((byte)RadiusCode.AccessAccept, first[0]);
        Assert.Equal(first, second);
        Assert.Single(await HardeningDb.AuditAsync(radius.Host.Services, AuditEventTypes.OtpSucceeded));
        Assert.Empty(await HardeningDb.AuditAsync(radius.Host.Services, AuditEventTypes.OtpReplayed));
    }

    [Fact]
    public async Task AnAuthenticRequestWithoutUserPassword_IsRejectedAndAudited()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite);
        using var nas = new UdpClient();
        nas.Connect(IPAddress.Loopback, radius.Port);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        await nas.SendAsync(NasRequest(7, null));
        var answer = (await nas.ReceiveAsync(timeout.Token)).Buffer;

        Assert.Equal((byte)RadiusCode.AccessReject, answer[0]);
        Assert.True(RadiusPacketReader.TryRead(answer, out var packet, out _));
        Assert.Equal("send one User-Name and one User-Password (PAP)", System.Text.Encoding.UTF8.GetString(packet!.First(RadiusAttributeType.ReplyMessage)!));
        Assert.Contains("radius, client vpn", Assert.Single(await HardeningDb.AuditAsync(radius.Host.Services, AuditEventTypes.ValidationRejected)).Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TenThousandRandomDatagrams_CrashNothing_AndAValidRequestIsStillAnswered()
    {
        await using var radius = await RadiusScenario.StartAsync(DatabaseKind.Sqlite);
        using var udp = new UdpClient();
        var random = new Random(2865);
        var target = new IPEndPoint(IPAddress.Loopback, radius.Port);
        var handler = radius.Host.Services.GetRequiredService<RadiusRequestHandler>();
        for (var i = 0; i < 10_000; i++)
        {
            var datagram = new byte[random.Next(0, 300)];
            random.NextBytes(datagram);
            if (datagram.Length >= 4 && i % 2 == 0)
            {
                // Half of them look like Access-Requests whose lengths lie, to reach the attribute parser.
                datagram[0] = 1;
                datagram[2] = (byte)(datagram.Length >> 8);
                datagram[3] = (byte)datagram.Length;
            }

            await udp.SendAsync(datagram, target);
            if (i % 100 == 99)
            {
                // Paced by the listener: the next hundred go when most of these were seen, so a busy machine's full
                // receive buffer cannot drop them before the parser is reached (that flaked under the full suite).
                await WaitForDroppedAsync(handler, (i + 1) * 9 / 10);
            }
        }

        var reply = await radius.SendAsync("alice", TestUsers.Password + radius.Code());

        Assert.Equal("Access-Accept", reply.Code);
        Assert.True(handler.Dropped > 9_000, $"{handler.Dropped} dropped");
    }

    /// <summary>Waits (up to 2 s) until the handler has dropped at least this many datagrams.</summary>
    private static async Task WaitForDroppedAsync(RadiusRequestHandler handler, long count)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (handler.Dropped < count && waited.Elapsed < TimeSpan.FromSeconds(2))
        {
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task OneCodeSentTwentyTimes_OverTheApiAndRadius_ToTwoNodes_IsAcceptedOnce()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Postgres);
        var clock = new MutableTimeProvider();
        var portA = RadiusScenario.FreeUdpPort();
        var portB = RadiusScenario.FreeUdpPort();
        IDictionary<string, string?> Node(int port)
        {
            var settings = ValidationScenario.Settings(new Dictionary<string, string?> { ["Otp:MaxFailures"] = "100" });
            foreach (var (key, value) in RadiusScenario.Settings(port, "userstore"))
            {
                settings[key] = value;
            }

            return settings;
        }

        await using var nodeA = await IdpTestHost.StartAsync(database, Node(portA), time: clock);
        await using var nodeB = await IdpTestHost.StartAsync(database, Node(portB), time: clock);
        await SecondFactorScenario.CreateUserAsync(nodeA, "alice", TestUsers.Password);

        await SecondFactorScenario.GiveDeviceAsync(nodeA, "alice");
        var pass = TestUsers.Password + SecondFactorScenario.CodeAt(nodeA);

        // Five of each kind per node, all at once.
        var overApi = Enumerable.Range(0, 10).Select(async i =>
            ValidationScenario.Authentication(await ValidationScenario.CheckAsync((i % 2 == 0 ? nodeA : nodeB).CreateBrowser(out _, ValidationScenario.Vpn), ("user", "alice"), ("pass", pass))) == "ACCEPT");
        var overRadius = Enumerable.Range(0, 10).Select(async i =>
            (await RadClient.SendAsync(i % 2 == 0 ? portA : portB, RadiusScenario.Secret, "alice", pass, null, messageAuthenticator: true)).Code == "Access-Accept");
        var accepted = await Task.WhenAll(overApi.Concat(overRadius));

        Assert.Equal(1, accepted.Count(a => a));
    }

    /// <summary>An Access-Request for alice as a NAS builds it (RFC 2865 §5.2, RFC 3579 §3.2), with User-Password when given.</summary>
    private static byte[] NasRequest(byte identifier, string? password)
    {
        var secret = System.Text.Encoding.UTF8.GetBytes(RadiusScenario.Secret);
        var authenticator = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var attributes = new List<RadiusAttribute> { new(RadiusAttributeType.MessageAuthenticator, new byte[16]), new(RadiusAttributeType.UserName, "alice"u8.ToArray()) };
        if (password is not null)
        {
            attributes.Add(new(RadiusAttributeType.UserPassword, RadiusCrypto.HidePassword(System.Text.Encoding.UTF8.GetBytes(password), secret, authenticator)));
        }

        var request = RadiusPacketWriter.Write(RadiusCode.AccessRequest, identifier, authenticator, attributes);
        RadiusCrypto.SignMessage(request, RadiusPacketReader.MinLength + 2, authenticator, secret);
        return request;
    }
}
