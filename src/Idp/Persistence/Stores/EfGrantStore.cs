using Idp.Oidc.Grants;
using Idp.Oidc.Tokens;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>
/// Codes, grants and revoked access tokens (refresh tokens: <see cref="EfRefreshTokenStore"/>). Handles are looked up by their SHA-256; single use is
/// one conditional update (<c>… WHERE ConsumedAt IS NULL</c>, one row or none), so two nodes never both succeed.
/// </summary>
internal sealed class EfGrantStore(IdpDbContext db, TimeProvider time) : IGrantStore
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Stores a code and, with it, the grant its redemption will issue under (so a replay can revoke it).</summary>
    public async Task<string> CreateCodeAsync(IssuedCode issued, CancellationToken cancellationToken)
    {
        var code = TokenHandles.New();
        var grantId = TokenHandles.New();
        db.Grants.Add(new GrantRecord { Id = grantId, ClientId = issued.ClientId, UserId = issued.UserId, SessionId = issued.SessionId, CreatedAt = Now });
        db.AuthorizationCodes.Add(new AuthorizationCodeRecord
        {
            CodeHash = TokenHandles.Hash(code),
            ClientId = issued.ClientId,
            RedirectUri = issued.RedirectUri,
            UserId = issued.UserId,
            SubjectId = issued.SubjectId,
            SessionId = issued.SessionId,
            Scopes = issued.Scopes,
            CodeChallenge = issued.CodeChallenge,
            Nonce = issued.Nonce,
            AuthTime = issued.AuthTime,
            Acr = issued.Acr,
            Amr = issued.Amr,
            CreatedAt = issued.CreatedAt,
            ExpiresAt = issued.ExpiresAt,
            GrantId = grantId,
        });
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    public async Task<(ConsumeStatus Status, IssuedCode? Issued)> ConsumeCodeAsync(string code, CancellationToken cancellationToken)
    {
        if (code.Length > TokenHandles.MaxLength)
        {
            return (ConsumeStatus.NotFound, null);
        }

        var hash = TokenHandles.Hash(code);
        var now = Now;
        var consumed = await db.AuthorizationCodes
            .Where(c => c.CodeHash == hash && c.ConsumedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.ConsumedAt, now), cancellationToken);
        var record = await db.AuthorizationCodes.AsNoTracking().FirstOrDefaultAsync(c => c.CodeHash == hash, cancellationToken);
        if (consumed == 1)
        {
            return (ConsumeStatus.Consumed, Issued(record!));
        }

        if (record is null)
        {
            return (ConsumeStatus.NotFound, null);
        }

        if (record.ConsumedAt is not null)
        {
            // RFC 6749 §4.1.2: a code used twice must be refused, and the tokens issued from it SHOULD be revoked.
            await RevokeGrantAsync(record.GrantId!, cancellationToken);
            return (ConsumeStatus.Reused, Issued(record));
        }

        return (ConsumeStatus.Expired, Issued(record));
    }

    private static IssuedCode Issued(AuthorizationCodeRecord r)
        => new(r.ClientId, r.RedirectUri, r.UserId, r.SubjectId, r.SessionId, r.Scopes, r.CodeChallenge, r.Nonce, r.AuthTime, r.Acr, r.Amr, r.CreatedAt, r.ExpiresAt) { GrantId = r.GrantId };

    public async Task<string> CreateGrantAsync(string clientId, string? userId, string? sessionId, CancellationToken cancellationToken)
    {
        var id = TokenHandles.New();
        db.Grants.Add(new GrantRecord { Id = id, ClientId = clientId, UserId = userId, SessionId = sessionId, CreatedAt = Now });
        await db.SaveChangesAsync(cancellationToken);
        return id;
    }

    public Task<bool> IsGrantActiveAsync(string grantId, CancellationToken cancellationToken)
        => db.Grants.AnyAsync(g => g.Id == grantId && g.RevokedAt == null, cancellationToken);

    /// <summary>Revokes a grant: its refresh tokens stop working, and its access tokens fail at userinfo and introspection.</summary>
    public async Task<bool> RevokeGrantAsync(string grantId, CancellationToken cancellationToken)
    {
        var now = Now;
        return await db.Grants.Where(g => g.Id == grantId && g.RevokedAt == null).ExecuteUpdateAsync(g => g.SetProperty(x => x.RevokedAt, now), cancellationToken) == 1;
    }

    public Task<int> RevokeAllOfUserAsync(string userId, CancellationToken cancellationToken)
    {
        var now = Now;
        return db.Grants.Where(g => g.UserId == userId && g.RevokedAt == null).ExecuteUpdateAsync(g => g.SetProperty(x => x.RevokedAt, now), cancellationToken);
    }

    public async Task RevokeAccessTokenAsync(string jti, DateTime expiresAt, CancellationToken cancellationToken)
    {
        if (await db.RevokedAccessTokens.AnyAsync(r => r.Jti == jti, cancellationToken))
        {
            return;
        }

        db.RevokedAccessTokens.Add(new RevokedAccessToken { Jti = jti, ExpiresAt = expiresAt });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Revoked concurrently by another request: the outcome is the same.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Both checks an access token needs at a resource, in one round trip: its jti is not revoked, and its grant
    /// (when it has one: machine tokens do not) is still active.
    /// </summary>
    public Task<bool> IsAccessTokenUsableAsync(string jti, string? grantId, CancellationToken cancellationToken)
        => HandWrittenSql.ReadAsync(
            db,
            $"SELECT {RevokedCount}, {ActiveGrantCount}",
            reader => reader.GetInt64(0) == 0 && (grantId is null || reader.GetInt64(1) == 1),
            false,
            cancellationToken,
            ("@jti", jti),
            ("@grant", grantId ?? string.Empty));

    /// <summary>
    /// For userinfo, in one round trip: whether the token (or its grant) was revoked, and the user behind its
    /// <c>sub</c> (null when gone). Only the columns claims are made of are read.
    /// </summary>
    public async Task<(bool Revoked, TokenUser? User)> FindAccessTokenUserAsync(string subjectId, string jti, string? grantId, CancellationToken cancellationToken)
    {
        // Outer join from a one-row select: the revocation counts come back even when the user is gone.
        var (revoked, user) = await HandWrittenSql.ReadAsync(
            db,
            $"""
            SELECT u."Id", u."SubjectId", u."UserName", u."Email", u."EmailConfirmed", {RevokedCount}, {ActiveGrantCount}, u."DisplayName"
            FROM (SELECT 1 AS "One") k LEFT JOIN "AspNetUsers" u ON u."SubjectId" = @subject
            """,
            reader => (reader.GetInt64(5) != 0 || (grantId is not null && reader.GetInt64(6) != 1), reader.IsDBNull(0) ? null : ReadClaimsUser(reader, 7)),
            (true, (TokenUser?)null),
            cancellationToken,
            ("@subject", subjectId),
            ("@jti", jti),
            ("@grant", grantId ?? string.Empty));
        return (revoked, revoked ? null : user);
    }

    /// <summary>
    /// For the token endpoint, in one round trip: the user a grant belongs to, with what decides whether they may
    /// still get tokens (lockout), when the grant is still active; null otherwise.
    /// </summary>
    public Task<TokenUser?> FindActiveGrantUserAsync(string grantId, string userId, CancellationToken cancellationToken)
        => HandWrittenSql.ReadAsync(
            db,
            $"""
            SELECT u."Id", u."SubjectId", u."UserName", u."Email", u."EmailConfirmed", u."LockoutEnabled", u."LockoutEnd", {ActiveGrantCount}, u."DisplayName"
            FROM "AspNetUsers" u WHERE u."Id" = @user
            """,
            reader =>
            {
                if (reader.GetInt64(7) != 1)
                {
                    return null;
                }

                return ReadClaimsUser(reader, 8) with
                {
                    LockoutEnabled = reader.GetBoolean(5),
                    LockoutEnd = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
                };
            },
            null,
            cancellationToken,
            ("@user", userId),
            ("@grant", grantId));

    private const string RevokedCount = "(SELECT COUNT(*) FROM \"RevokedAccessTokens\" WHERE \"Jti\" = @jti)";

    private const string ActiveGrantCount = "(SELECT COUNT(*) FROM \"Grants\" WHERE \"Id\" = @grant AND \"RevokedAt\" IS NULL)";

    /// <summary>Id, subject, username, e-mail and whether it is confirmed from columns 0-4; the display name from <paramref name="displayName"/>.</summary>
    private static TokenUser ReadClaimsUser(System.Data.Common.DbDataReader reader, int displayName)
        => new(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetBoolean(4))
        {
            DisplayName = reader.IsDBNull(displayName) ? null : reader.GetString(displayName),
        };
}
