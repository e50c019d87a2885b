using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tokens;

/// <summary>Lists and searches the pool: by serial or holder, by state, a page at a time (one query and a count).</summary>
public sealed class TokenCatalog(IdpDbContext db)
{
    public const int MaxPageSize = 200;

    public const int MaxSearchLength = 64;

    /// <param name="text">Part of a serial or of a holder's username, without regard to case; null or empty: every token.</param>
    public async Task<TokenPage> ListAsync(string? text, TokenStateFilter state, int skip, int take, CancellationToken cancellationToken)
    {
        take = Math.Clamp(take, 1, MaxPageSize);
        skip = Math.Max(0, skip);
        var query = Rows();
        if (text?.Trim() is { Length: > 0 } wanted)
        {
            var lowered = (wanted.Length > MaxSearchLength ? wanted[..MaxSearchLength] : wanted).ToLowerInvariant();
            query = query.Where(r => r.Token.Serial.ToLower().Contains(lowered) || (r.UserName != null && r.UserName.ToLower().Contains(lowered)));
        }

        query = state switch
        {
            TokenStateFilter.Unassigned => query.Where(r => r.Token.UserId == null),
            TokenStateFilter.Assigned => query.Where(r => r.Token.UserId != null),
            TokenStateFilter.Disabled => query.Where(r => r.Token.Disabled),
            _ => query,
        };
        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderBy(r => r.Token.Serial).Skip(skip).Take(take).ToListAsync(cancellationToken);
        return new TokenPage([.. rows.Select(View)], total);
    }

    public async Task<TokenView?> FindAsync(string? serial, CancellationToken cancellationToken)
    {
        var key = serial?.Trim();
        return key is { Length: > 0 } && await Rows().FirstOrDefaultAsync(r => r.Token.Serial == key, cancellationToken) is { } row ? View(row) : null;
    }

    private IQueryable<TokenRow> Rows()
        => from token in db.HardwareTokens.AsNoTracking()
           join user in db.Users.AsNoTracking() on token.UserId equals user.Id into holders
           from holder in holders.DefaultIfEmpty()
           select new TokenRow { Token = token, UserName = holder == null ? null : holder.UserName };

    private static TokenView View(TokenRow row) => new(
        row.Token.Serial, row.Token.Type.ToUpperInvariant(), row.Token.Algorithm, row.Token.Digits, row.Token.Period, row.Token.Manufacturer,
        row.Token.Disabled, row.Token.UserId, row.UserName, new DateTimeOffset(DateTime.SpecifyKind(row.Token.ImportedAt, DateTimeKind.Utc)));

    /// <summary>Member initialisation, not a constructor: EF translates filters on it into the one query.</summary>
    private sealed class TokenRow
    {
        public required HardwareTokenRecord Token { get; init; }

        public string? UserName { get; init; }
    }
}
