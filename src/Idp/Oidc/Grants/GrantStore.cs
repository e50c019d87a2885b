using Idp.Oidc.Tokens;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Oidc.Grants;

/// <summary>
/// Codes, grants, refresh tokens and revoked access tokens. Handles are looked up by their SHA-256; single use is
/// one conditional update (<c>… WHERE ConsumedAt IS NULL</c>, one row or none), so two nodes never both succeed.
/// </summary>
public sealed class GrantStore(IdpDbContext db, TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Stores a code and, with it, the grant its redemption will issue under (so a replay can revoke it).</summary>
    public async Task<string> CreateCodeAsync(AuthorizationCodeRecord record, CancellationToken cancellationToken)
    {
        var code = TokenHandles.New();
        record.CodeHash = TokenHandles.Hash(code);
        record.GrantId = TokenHandles.New();
        db.Grants.Add(new GrantRecord { Id = record.GrantId, ClientId = record.ClientId, UserId = record.UserId, SessionId = record.SessionId, CreatedAt = Now });
        db.AuthorizationCodes.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return code;
    }

    public async Task<(ConsumeStatus Status, AuthorizationCodeRecord? Record)> ConsumeCodeAsync(string code, CancellationToken cancellationToken)
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
            return (ConsumeStatus.Consumed, record);
        }

        if (record is null)
        {
            return (ConsumeStatus.NotFound, null);
        }

        if (record.ConsumedAt is not null)
        {
            // RFC 6749 §4.1.2: a code used twice must be refused, and the tokens issued from it SHOULD be revoked.
            await RevokeGrantAsync(record.GrantId!, cancellationToken);
            return (ConsumeStatus.Reused, record);
        }

        return (ConsumeStatus.Expired, record);
    }

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

    public async Task<string> CreateRefreshTokenAsync(RefreshTokenRecord record, CancellationToken cancellationToken)
    {
        var token = TokenHandles.New();
        record.TokenHash = TokenHandles.Hash(token);
        db.RefreshTokens.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>
    /// Rotation: the token is consumed by this use; a consumed token used again revokes its whole family. RFC 6749 §6:
    /// it is bound to its client; another client's request neither consumes it nor learns it exists.
    /// </summary>
    public async Task<(ConsumeStatus Status, RefreshTokenRecord? Record)> ConsumeRefreshTokenAsync(string token, string clientId, CancellationToken cancellationToken)
    {
        if (token.Length > TokenHandles.MaxLength)
        {
            return (ConsumeStatus.NotFound, null);
        }

        var hash = TokenHandles.Hash(token);
        var now = Now;
        var consumed = await db.RefreshTokens
            .Where(t => t.TokenHash == hash && t.ClientId == clientId && t.ConsumedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.ConsumedAt, now), cancellationToken);
        var record = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (record is null || record.ClientId != clientId)
        {
            return (ConsumeStatus.NotFound, null);
        }

        if (consumed == 1)
        {
            return (ConsumeStatus.Consumed, record);
        }

        if (record.ConsumedAt is not null)
        {
            await RevokeGrantAsync(record.GrantId, cancellationToken);
            return (ConsumeStatus.Reused, record);
        }

        return (ConsumeStatus.Expired, record);
    }

    public Task<RefreshTokenRecord?> FindRefreshTokenAsync(string token, CancellationToken cancellationToken)
        => token.Length > TokenHandles.MaxLength
            ? Task.FromResult<RefreshTokenRecord?>(null)
            : db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == TokenHandles.Hash(token), cancellationToken);

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
    public async Task<bool> IsAccessTokenUsableAsync(string jti, string? grantId, CancellationToken cancellationToken)
    {
        var state = await db.Database
            .SqlQuery<AccessTokenState>($"SELECT (SELECT COUNT(*) FROM \"RevokedAccessTokens\" WHERE \"Jti\" = {jti}) AS \"Revoked\", (SELECT COUNT(*) FROM \"Grants\" WHERE \"Id\" = {grantId ?? string.Empty} AND \"RevokedAt\" IS NULL) AS \"ActiveGrants\"")
            .SingleAsync(cancellationToken);
        return state.Revoked == 0 && (grantId is null || state.ActiveGrants == 1);
    }

    private sealed record AccessTokenState(long Revoked, long ActiveGrants);
}
