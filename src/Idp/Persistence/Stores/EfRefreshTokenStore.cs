using Idp.Oidc.Grants;
using Idp.Oidc.Tokens;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>
/// Refresh tokens: opaque, stored as their SHA-256, rotated on every use. A refresh is the busiest write Idp does,
/// so its two statements are hand-written (<see cref="HandWrittenSql"/>): one consumes the token and reads what the
/// new tokens need, one stores the successor.
/// </summary>
internal sealed class EfRefreshTokenStore(IdpDbContext db, IGrantStore grants, TimeProvider time) : IRefreshTokenStore
{
    /// <summary>
    /// Runs a rotation (consume, then issue the successor) as one transaction: if issuing fails after the token was
    /// consumed, the consumption is undone, or the app's retry would count as reuse and revoke the whole grant.
    /// </summary>
    public async Task<T> RotateAsync<T>(Func<Task<T>> rotation, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await rotation();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public async Task<string> CreateAsync(IssuedRefreshToken issued, CancellationToken cancellationToken)
    {
        var token = TokenHandles.New();
        await HandWrittenSql.ExecuteAsync(
            db,
            """
            INSERT INTO "RefreshTokens" ("TokenHash", "GrantId", "ClientId", "UserId", "SubjectId", "SessionId", "Scopes", "AuthTime", "Acr", "Amr", "CreatedAt", "ExpiresAt")
            VALUES (@hash, @grant, @client, @user, @subject, @session, @scopes, @authTime, @acr, @amr, @created, @expires)
            """,
            cancellationToken,
            ("@hash", TokenHandles.Hash(token)),
            ("@grant", issued.GrantId),
            ("@client", issued.ClientId),
            ("@user", issued.UserId),
            ("@subject", issued.SubjectId),
            ("@session", issued.SessionId),
            ("@scopes", issued.Scopes),
            ("@authTime", issued.AuthTime),
            ("@acr", issued.Acr),
            ("@amr", issued.Amr),
            ("@created", issued.CreatedAt),
            ("@expires", issued.ExpiresAt));
        return token;
    }

    /// <summary>
    /// Rotation: the token is consumed by this use; a consumed token used again revokes its whole family (OAuth 2.0
    /// Security BCP §4.14). RFC 6749 §6: it is bound to its client; another client's request neither consumes it nor
    /// learns it exists. Whatever refuses a refresh (the grant revoked, the user deleted or locked by an
    /// administrator) is checked in the same conditional UPDATE that would consume it, so a refused refresh leaves
    /// the token as it was: refusing must not turn the app's next, legitimate retry into "reuse".
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
              AND EXISTS (SELECT 1 FROM "Grants" g WHERE g."Id" = "RefreshTokens"."GrantId" AND g."RevokedAt" IS NULL)
              AND EXISTS (SELECT 1 FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"
                          AND NOT (u."LockoutEnabled" AND u."LockoutEnd" IS NOT NULL AND u."LockoutEnd" >= @adminLock))
            RETURNING "GrantId", "UserId", "SubjectId", "SessionId", "Scopes", "AuthTime", "Acr", "Amr", "CreatedAt", "ExpiresAt",
                (SELECT u."UserName" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."Email" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."EmailConfirmed" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."LockoutEnabled" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."LockoutEnd" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId"),
                (SELECT u."DisplayName" FROM "AspNetUsers" u WHERE u."Id" = "RefreshTokens"."UserId")
            """,
            reader =>
            {
                var record = new IssuedRefreshToken(
                    GrantId: reader.GetString(0),
                    ClientId: clientId,
                    UserId: reader.GetString(1),
                    SubjectId: reader.GetString(2),
                    SessionId: reader.GetString(3),
                    Scopes: reader.GetString(4),
                    AuthTime: HandWrittenSql.Utc(reader, 5),
                    Acr: reader.GetString(6),
                    Amr: reader.GetString(7),
                    CreatedAt: HandWrittenSql.Utc(reader, 8),
                    ExpiresAt: HandWrittenSql.Utc(reader, 9))
                {
                    ConsumedAt = now,
                };
                var user = new TokenUser(
                    record.UserId,
                    record.SubjectId,
                    reader.IsDBNull(10) ? null : reader.GetString(10),
                    reader.IsDBNull(11) ? null : reader.GetString(11),
                    reader.GetBoolean(12),
                    reader.GetBoolean(13),
                    reader.IsDBNull(14) ? null : reader.GetFieldValue<DateTimeOffset>(14))
                {
                    DisplayName = reader.IsDBNull(15) ? null : reader.GetString(15),
                };
                return new RefreshTokenUse(ConsumeStatus.Consumed, record, user);
            },
            null,
            cancellationToken,
            ("@now", now),
            ("@hash", hash),
            ("@client", clientId),
            ("@adminLock", Accounts.UserLockout.AdministratorLockFrom));
        if (consumed is not null)
        {
            return consumed;
        }

        // Not consumed now: tell unknown, another client's, spent (a replay), expired and refused apart.
        var found = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (found is null || found.ClientId != clientId)
        {
            return new(ConsumeStatus.NotFound, null, null);
        }

        if (found.ConsumedAt is not null)
        {
            await grants.RevokeGrantAsync(found.GrantId, cancellationToken);
            return new(ConsumeStatus.Reused, Issued(found), null);
        }

        return new(found.ExpiresAt > now ? ConsumeStatus.Refused : ConsumeStatus.Expired, Issued(found), null);
    }

    public async Task<IssuedRefreshToken?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length > TokenHandles.MaxLength)
        {
            return null;
        }

        var found = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == TokenHandles.Hash(token), cancellationToken);
        return found is null ? null : Issued(found);
    }

    private static IssuedRefreshToken Issued(RefreshTokenRecord r)
        => new(r.GrantId, r.ClientId, r.UserId, r.SubjectId, r.SessionId, r.Scopes, r.AuthTime, r.Acr, r.Amr, r.CreatedAt, r.ExpiresAt) { ConsumedAt = r.ConsumedAt };
}
