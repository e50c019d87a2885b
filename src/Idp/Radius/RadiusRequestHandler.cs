using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Idp.Audit;
using Idp.Radius.Codec;
using Idp.Validation;

namespace Idp.Radius;

/// <summary>
/// One datagram in, one answer (or nothing) out. Access-Request with PAP only (RFC 2865 §5.2): User-Password is
/// password‖code, the password alone (answered Access-Challenge, §4.4), or the code with the challenge's State,
/// by the client's pass policy. Checks go through <see cref="SecondFactorValidation"/>, the path the API uses.
/// Anything malformed, from an unknown address, or failing Message-Authenticator is discarded unanswered (§3,
/// RFC 3579 §3.2) and counted.
/// </summary>
internal sealed class RadiusRequestHandler(RadiusClients clients, RadiusDuplicateCache duplicates, IServiceScopeFactory scopes, AuditLog audit, ILogger<RadiusRequestHandler> logger)
{
    private static readonly Counter<long> DroppedDatagrams = Hosting.Telemetry.IdpMeter.Meter.CreateCounter<long>("idp.radius.dropped", description: "RADIUS datagrams discarded unanswered: malformed, from an unknown address, or without a valid Message-Authenticator");

    private long _dropped;

    /// <summary>Datagrams discarded since start: malformed, unknown client, bad or missing Message-Authenticator.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public async Task<byte[]?> AnswerAsync(byte[] datagram, IPEndPoint remote, CancellationToken cancellationToken)
    {
        if (clients.Find(remote.Address) is not { } client)
        {
            return Drop("a datagram from {Address}, which is not a RADIUS client", remote.Address);
        }

        if (!RadiusPacketReader.TryRead(datagram, out var request, out var problem))
        {
            return Drop("a malformed datagram from client {Client}: {Problem}", client.Name, problem);
        }

        // §3: octets past Length are padding; every check below is over the packet itself.
        var packet = datagram.AsSpan(0, (datagram[2] << 8) | datagram[3]).ToArray();
        if (request!.Code != RadiusCode.AccessRequest)
        {
            return Drop("a packet of code {Code} from client {Client}; only Access-Request is served", (int)request.Code, client.Name);
        }

        if (!MessageAuthenticatorAccepted(packet, request, client))
        {
            return Drop("an Access-Request from client {Client} without a valid Message-Authenticator", client.Name, null);
        }

        var key = $"{client.Name}|{remote}|{request.Identifier}|{Convert.ToHexString(request.Authenticator)}";
        if (!duplicates.TryClaim(key, out var earlier))
        {
            // RFC 5080 §2.2.2: answered again from the cache, or dropped while the first copy is in progress.
            return earlier;
        }

        try
        {
            var answer = await DecideAsync(request, client, cancellationToken);
            var response = Respond(answer, request, client);
            duplicates.Answered(key, response);
            return response;
        }
        catch
        {
            duplicates.Forget(key);
            throw;
        }
    }

    private bool MessageAuthenticatorAccepted(byte[] packet, RadiusPacket request, RadiusClient client)
    {
        var count = request.Count(RadiusAttributeType.MessageAuthenticator);
        if (count == 0)
        {
            return !client.RequireMessageAuthenticator;
        }

        // RFC 3579 §3.2: exactly one, of 16 octets, and right.
        return count == 1 && request.First(RadiusAttributeType.MessageAuthenticator)!.Length == 16
            && RadiusCrypto.MessageAuthenticatorValid(packet, RadiusCrypto.ValueOffset(packet, RadiusAttributeType.MessageAuthenticator), client.Secret);
    }

    private async Task<ValidationAnswer> DecideAsync(RadiusPacket request, RadiusClient client, CancellationToken cancellationToken)
    {
        // §4.1: User-Name and one of User-Password or CHAP-Password; only PAP can carry a password to check.
        if (request.Count(RadiusAttributeType.UserName) != 1 || request.Count(RadiusAttributeType.UserPassword) != 1 || request.Count(RadiusAttributeType.State) > 1)
        {
            return await RefusedAsync(client, "send one User-Name and one User-Password (PAP)", cancellationToken);
        }

        var password = RadiusCrypto.RevealPassword(request.First(RadiusAttributeType.UserPassword), client.Secret, request.Authenticator);
        if (password is null)
        {
            return await RefusedAsync(client, "the User-Password attribute is malformed", cancellationToken);
        }

        var state = request.First(RadiusAttributeType.State);
        var validation = new ValidationRequest(
            Utf8(request.First(RadiusAttributeType.UserName)!), null, Utf8(password), state is null ? null : Utf8(state),
            ValidationChannel.Radius, client.Name, client.Policy, client.Passthru, client.PassthruAssign);
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SecondFactorValidation>().CheckAsync(validation, cancellationToken);
    }

    /// <summary>
    /// The answer with Message-Authenticator first (RFC 3579 §3.2; first, as the BlastRADIUS advisories recommend),
    /// computed over the packet with the Request Authenticator, then the Response Authenticator (RFC 2865 §3) over it all.
    /// </summary>
    private static byte[] Respond(ValidationAnswer answer, RadiusPacket request, RadiusClient client)
    {
        var code = answer.Authentication switch
        {
            ValidationAuthentication.Accept => RadiusCode.AccessAccept,
            ValidationAuthentication.Challenge => RadiusCode.AccessChallenge,
            _ => RadiusCode.AccessReject,
        };
        var attributes = new List<RadiusAttribute> { new(RadiusAttributeType.MessageAuthenticator, new byte[16]) };
        if (answer.TransactionId is { } transaction)
        {
            attributes.Add(new(RadiusAttributeType.State, Encoding.UTF8.GetBytes(transaction)));
        }

        if (code != RadiusCode.AccessAccept)
        {
            var message = Encoding.UTF8.GetBytes(answer.Message);
            attributes.Add(new(RadiusAttributeType.ReplyMessage, message.Length > 253 ? message[..253] : message));
        }

        var response = RadiusPacketWriter.Write(code, request.Identifier, request.Authenticator, attributes);
        RadiusCrypto.SignMessage(response, RadiusPacketReader.MinLength + 2, request.Authenticator, client.Secret);
        RadiusCrypto.SignResponse(response, request.Authenticator, client.Secret);
        return response;
    }

    /// <summary>An authentic request (its Message-Authenticator verified, or not required) that cannot be checked: answered and audited.</summary>
    private async Task<ValidationAnswer> RefusedAsync(RadiusClient client, string why, CancellationToken cancellationToken)
    {
        await audit.WriteAsync(AuditEventTypes.ValidationRejected, $"{ValidationChannel.Radius}:{client.Name}", details: $"{ValidationChannel.Radius}, client {client.Name}: {why}", cancellationToken: cancellationToken);
        return ValidationAnswer.Reject(why);
    }

    private static string Utf8(byte[] value) => Encoding.UTF8.GetString(value);

    private byte[]? Drop(string message, object? first, object? second = null)
    {
        Interlocked.Increment(ref _dropped);
        DroppedDatagrams.Add(1);
        logger.LogWarning("RADIUS: discarded " + message, first, second);
        return null;
    }
}
