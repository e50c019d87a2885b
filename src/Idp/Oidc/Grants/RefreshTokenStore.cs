using Idp.Oidc.Tokens;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Oidc.Grants;

/// <summary>
/// Refresh tokens: opaque, stored as their SHA-256, rotated on every use. A refresh is the busiest write Idp does,
/// so its two statements are hand-written (<see cref="HandWrittenSql"/>): one consumes the token and reads what the
/// new tokens need, one stores the successor.
/// </summary>
public sealed class RefreshTokenStore(IdpDbContext db, GrantStore grants, TimeProvider time)
{
    public async Task<string> CreateAsync(RefreshTokenRecord record, CancellationToken cancellationToken)
    {
        var token = TokenHandles.New();
        record.TokenHash = TokenHandles.Hash(token);
        await HandWrittenSql.ExecuteAsync(
            db,
            """
            INSERT INTO "RefreshTokens" ("TokenHash", "GrantId", "ClientId", "UserId", "SubjectId", "SessionId", "Scopes", "AuthTime", "Acr", "Amr", "CreatedAt", "ExpiresAt")
            VALUES (@hash, @grant, @client, @user, @subject, @session, @scopes, @authTime, @acr, @amr, @created, @expires)
            """,
            cancellationToken,
            ("@hash", record.TokenHash),
            ("@grant", record.GrantId),
            ("@client", record.ClientId),
            ("@user", record.UserId),
            ("@subject", record.SubjectId),
            ("@session", record.SessionId),
            ("@scopes", record.Scopes),
            ("@authTime", record.AuthTime),
            ("@acr", record.Acr),
            ("@amr", record.Amr),
            ("@created", record.CreatedAt),
            ("@expires", record.ExpiresAt));
        return token;
    }

    /// <summary>
    /// Rotation: the token is consumed by this use; a consumed token used again revokes its whole family (OAuth 2.0
    /// Security BCP §4.14). RFC 6749 §6: it is bound to its client; another client's request neither consumes it nor
    /// learns it exists. On success the same statement reads the token's user and whether its grant is still
    /// active: <see cref="RefreshTokenUse.User"/> is null when the grant was revoked or the user is gone.
    /// </summary>
    public async Task<RefreshTokenUse> ConsumeAsync(string token, string clientId, CancellationToken cancellationToken)
    {
        if (token.Length > TokenHandles.MaxLength)
        {
            return new(ConsumeStatus.NotFound, null, null);
        }

        var hash = TokenHandles.Hash(token);
        var now = time.GetUtcNow().UtcDateTime;
        var consumed = await HandWrittenSql.ReadAsync(
            db,
            """
            UPDATE "RefreshTokens" SET "ConsumedAt" = @now
            WHERE "TokenHash" = @hash AND "ClientId" = @client AND "ConsumedAt" IS NULL AND "ExpiresAt" > @now
            RETURNING "GrantId", "UserId", "SubjectId", "SessionId", "Scopes", "AuthTime", "Acr", "Amr", "CreatedAt", "ExpiresAt",
                (SELECT COUNT(*) FROM "Grants" g WHERE g."Id" = "RefreshTokens"."GrantId" AND g."RevokedAt" IS NULL),
                (SELECT COUNT(*) FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."UserName" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."Email" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."EmailConfirmed" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."LockoutEnabled" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."LockoutEnd" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId")
            """,
            reader =>
            {
                var record = new RefreshTokenRecord
                {
                    TokenHash = hash,
                    ClientId = clientId,
                    GrantId = reader.GetString(0),
                    UserId = reader.GetString(1),
                    SubjectId = reader.GetString(2),
                    SessionId = reader.GetString(3),
                    Scopes = reader.GetString(4),
                    AuthTime = HandWrittenSql.Utc(reader, 5),
                    Acr = reader.GetString(6),
                    Amr = reader.GetString(7),
                    CreatedAt = HandWrittenSql.Utc(reader, 8),
                    ExpiresAt = HandWrittenSql.Utc(reader, 9),
                    ConsumedAt = now,
                };
                var grantActive = reader.GetInt64(10) == 1;
                var userExists = reader.GetInt64(11) == 1;
                var user = grantActive && userExists
                    ? new IdpUser
                    {
                        Id = record.UserId,
                        SubjectId = record.SubjectId,
                        UserName = reader.IsDBNull(12) ? null : reader.GetString(12),
                        Email = reader.IsDBNull(13) ? null : reader.GetString(13),
                        EmailConfirmed = reader.GetBoolean(14),
                        LockoutEnabled = reader.GetBoolean(15),
                        LockoutEnd = reader.IsDBNull(16) ? null : reader.GetFieldValue<DateTimeOffset>(16),
                    }
                    : null;
                return new RefreshTokenUse(ConsumeStatus.Consumed, record, user);
            },
            null,
            cancellationToken,
            ("@now", now),
            ("@hash", hash),
            ("@client", clientId));
        if (consumed is not null)
        {
            return consumed;
        }

        // Not consumed now: tell unknown, another client's, spent (a replay) and expired apart.
        var found = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (found is null || found.ClientId != clientId)
        {
            return new(ConsumeStatus.NotFound, null, null);
        }

        if (found.ConsumedAt is not null)
        {
            await grants.RevokeGrantAsync(found.GrantId, cancellationToken);
            return new(ConsumeStatus.Reused, found, null);
        }

        return new(ConsumeStatus.Expired, found, null);
    }

    public Task<RefreshTokenRecord?> FindAsync(string token, CancellationToken cancellationToken)
        => token.Length > TokenHandles.MaxLength
            ? Task.FromResult<RefreshTokenRecord?>(null)
            : db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == TokenHandles.Hash(token), cancellationToken);
}
