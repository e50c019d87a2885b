using Idp.Accounts.SecondFactor;
using Idp.Admin;
using Idp.Audit;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tokens;

/// <summary>
/// Mass enrollment of soft tokens (LinOTP's "mass enroll"), without a secret ever printed: each person listed is
/// required to have a second factor from now on, so at their next sign-in one without a device is led to the forced
/// QR enrollment and confirms it with a first code. All or nothing: one unknown person and nobody is changed.
/// </summary>
internal sealed class EnrollmentRequests(IdpDbContext db, UserAdministration users, SecondFactorPolicy policy, AuditLog audit, TimeProvider time)
{
    /// <summary>A list longer than this is split: each person is looked up, in a directory perhaps.</summary>
    public const int MaxUsers = 10_000;

    /// <returns>How many were asked, how many of them have no usable device yet, or why nobody was changed.</returns>
    public async Task<(int Requested, int WithoutDevice, string? Problem)> RequestAsync(IReadOnlyList<(int Line, string Login)> logins, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return (0, 0, refused.Message);
        }

        if (logins.Count is 0 or > MaxUsers)
        {
            return (0, 0, $"the list must name 1 to {MaxUsers} users");
        }

        var found = new Dictionary<string, IdpUser>(StringComparer.Ordinal);
        foreach (var (line, login) in logins)
        {
            var (user, problem) = await users.LookUpAsync(login);
            if (user is null)
            {
                return (0, 0, $"line {line}: {problem} Nobody was changed.");
            }

            found[user.Id] = user;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var ids = found.Keys.ToList();
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var chunk in ids.Chunk(500))
            {
                await db.Users.Where(u => chunk.Contains(u.Id) && u.SecondFactorRequestedAt == null)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.SecondFactorRequestedAt, now), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var withoutDevice = 0;
        foreach (var user in found.Values)
        {
            var pending = !await policy.HasUsableOrDisabledAsync(user.Id, cancellationToken);
            withoutDevice += pending ? 1 : 0;
            await audit.WriteAsync(AuditEventTypes.EnrollmentsRequested, actor.AuditName, user.Id,
                details: $"a second factor is required for '{user.UserName}' from now on{(pending ? "; enrollment at the next sign-in" : "; a device is already registered")}{AdminReasons.Suffix(reason)}", cancellationToken: cancellationToken);
        }

        return (found.Count, withoutDevice, null);
    }
}
