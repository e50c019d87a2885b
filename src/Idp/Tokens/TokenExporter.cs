using Idp.Admin;
using Idp.Audit;
using Idp.Otp.Secrets;
using Idp.Otp.Tokens;
using Idp.Persistence;
using Idp.SecondFactors;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tokens;

/// <summary>
/// Writes tokens of the pool as a PSKC file (RFC 6030) that imports back to the same tokens: their current counter
/// and drift, and their secrets only when a pre-shared key is given to encrypt them under (§6.1). Audited.
/// </summary>
internal sealed class TokenExporter(IdpDbContext db, TokenDevices devices, ISecretProtector protector, AuditLog audit)
{
    /// <param name="serial">Only this token; <paramref name="userId"/>: only this user's; neither: the whole pool.</param>
    /// <param name="preSharedKey">16 bytes to encrypt the secrets under; null: no secret is written.</param>
    /// <returns>How many tokens were written, or why nothing was.</returns>
    public async Task<(int Count, string? Problem)> ExportAsync(Stream output, string? serial, string? userId, byte[]? preSharedKey, AdminActor actor, CancellationToken cancellationToken)
    {
        var query = db.HardwareTokens.AsNoTracking();
        query = serial is not null ? query.Where(t => t.Serial == serial) : query;
        query = userId is not null ? query.Where(t => t.UserId == userId) : query;
        var rows = await query.OrderBy(t => t.Serial).ToListAsync(cancellationToken);
        if (rows.Count == 0)
        {
            return (0, serial is not null ? $"no token '{serial}' in the pool" : "no token matches");
        }

        var seeds = new List<TokenSeed>(rows.Count);
        foreach (var row in rows)
        {
            var device = row.UserId is { } holder ? await devices.FindAsync(holder, row.Serial, cancellationToken) : null;
            var secret = Array.Empty<byte>();
            if (preSharedKey is not null && !protector.TryUnprotect(row.Secret, OtpSecretPurposes.OtpSeed, out secret))
            {
                return (0, $"the secret of the token {row.Serial} cannot be decrypted with the configured Idp:Secrets keys; nothing was exported");
            }

            seeds.Add(TokenRecords.ToSeed(row, device, secret));
        }

        PskcWriter.Write(output, seeds, preSharedKey);
        foreach (var seed in seeds)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed.Secret);
        }

        var what = preSharedKey is null ? "without secrets" : "with secrets encrypted under a pre-shared key";
        await audit.WriteAsync(AuditEventTypes.TokensExported, actor.AuditName, userId, details: $"{seeds.Count} token(s) exported as PSKC {what}{(serial is null ? string.Empty : $" (serial {serial})")}", cancellationToken: cancellationToken);
        return (seeds.Count, null);
    }
}
