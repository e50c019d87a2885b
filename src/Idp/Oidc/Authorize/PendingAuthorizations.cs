using System.Text.Json;
using Idp.Hosting;
using Idp.Oidc.Protocol;
using Idp.Oidc.Tokens;
using Microsoft.Extensions.Options;

namespace Idp.Oidc.Authorize;

/// <summary>Authorization requests waiting for the person, in the database so any node can resume them.</summary>
public sealed class PendingAuthorizations(IPendingAuthorizationStore store, TimeProvider time, IOptions<IdpOptions> options)
{
    public const int IdLength = 43;

    // Stored, never rendered: no need to escape '+', '&' or non-ASCII as six-byte \uXXXX, which would let a large but
    // legal request outgrow the size limit.
    private static readonly JsonSerializerOptions StoredJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Keeps the request while the person signs in: only the parameters the engine understands (anyone can post a
    /// thousand others to a valid client), and at most <c>Idp:Limits:PendingAuthorizationBytes</c>.
    /// </summary>
    /// <returns>The handle, or null when even the understood parameters are over the limit.</returns>
    public async Task<string?> SaveAsync(ProtocolParameters parameters, CancellationToken cancellationToken)
    {
        var kept = parameters.Values.Where(p => AuthorizeRequestValidator.Limits.ContainsKey(p.Key)).ToDictionary(StringComparer.Ordinal);
        var json = JsonSerializer.Serialize(kept, StoredJson);
        if (System.Text.Encoding.UTF8.GetByteCount(json) > options.Value.Limits.PendingAuthorizationBytes)
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var id = TokenHandles.New();
        await store.AddAsync(id, json, now, now + options.Value.Tokens.InteractionLifetime, cancellationToken);
        return id;
    }

    public async Task<(ProtocolParameters Parameters, DateTime CreatedAt)?> FindAsync(string? id, CancellationToken cancellationToken)
    {
        if (id is not { Length: IdLength })
        {
            return null;
        }

        return await store.FindUnexpiredAsync(id, time.GetUtcNow().UtcDateTime, cancellationToken) is { } row
            ? (ProtocolParameters.FromDictionary(JsonSerializer.Deserialize<Dictionary<string, string>>(row.ParametersJson)!), row.CreatedAt)
            : null;
    }

    /// <summary>Completes a pending request once: true for exactly one caller.</summary>
    public Task<bool> TryCompleteAsync(string id, CancellationToken cancellationToken)
        => store.TryDeleteAsync(id, cancellationToken);
}
