using Idp.Accounts.SecondFactor;
using Idp.Admin;
using Idp.Audit;
using Idp.Otp.Devices;
using Idp.Otp.Secrets;
using Idp.Otp.Tokens;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.EntityFrameworkCore;

namespace Idp.Tokens;

/// <summary>
/// What administrators do to a hardware token, the same from /admin, the command line and /api/admin: assign,
/// unassign, enable, disable, delete, resynchronise, clear its holder's failures. A token's row and its device in the
/// holder's document change in one transaction, and every row update is conditional on what was read (a concurrent
/// change refuses the action whole), so the pool and the verifier never disagree. Every action leaves one audit event
/// naming the actor, the serial and the reason; taking a token from its holder, or disabling it, ends their sessions
/// as removing a device does (<c>Idp:Admin:EndSessionsOnDeviceRemoval</c>).
/// </summary>
public sealed class TokenPool(
    IdpDbContext db,
    TokenDevices devices,
    ISecretProtector protector,
    SecondFactorFailureBudget failures,
    UserAdministration users,
    AuditLog audit,
    TimeProvider time)
{
    /// <param name="onlyIfNoDevice">Assign on first use: only to a user who holds no device when the token is attached.</param>
    public async Task<AdminOutcome> AssignAsync(string serial, IdpUser user, string? reason, AdminActor actor, CancellationToken cancellationToken, bool onlyIfNoDevice = false)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        var outcome = await InTransactionAsync(async () =>
        {
            if (await FindAsync(serial, cancellationToken) is not { } row)
            {
                return NoSuchToken(serial);
            }

            if (row.UserId is not null)
            {
                return AdminOutcome.Conflict($"The token {row.Serial} is already assigned; unassign it first.");
            }

            var (deviceId, problem) = await devices.AttachAsync(user.Id, TokenRecords.ToDevice(row), cancellationToken, onlyIfNone: onlyIfNoDevice);
            if (deviceId is null)
            {
                return AdminOutcome.Conflict($"The token {row.Serial} was not assigned: {problem}.");
            }

            var now = time.GetUtcNow().UtcDateTime;
            // Claimed only as it was read: still in the pool (of two assignments one wins), and not disabled or
            // resynchronised meanwhile (the device attached is a copy of what was read).
            var claimed = await Unchanged(row).ExecuteUpdateAsync(t => t.SetProperty(x => x.UserId, user.Id).SetProperty(x => x.DeviceId, deviceId).SetProperty(x => x.UpdatedAt, now), cancellationToken);
            return claimed == 1 ? AdminOutcome.Done($"Assigned the token {row.Serial} to '{user.UserName}'.") : Contended();
        }, cancellationToken);
        return await AuditedAsync(outcome, AuditEventTypes.TokenAssigned, actor, user.Id, $"token {serial} assigned to '{user.UserName}'", reason, cancellationToken);
    }

    public async Task<AdminOutcome> UnassignAsync(string serial, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        string? holder = null;
        var outcome = await InTransactionAsync(async () =>
        {
            if (await FindAsync(serial, cancellationToken) is not { } row)
            {
                return NoSuchToken(serial);
            }

            if ((holder = row.UserId) is null)
            {
                return AdminOutcome.Conflict($"The token {row.Serial} is not assigned.");
            }

            var (detached, contended) = await devices.DetachAsync(holder, row.Serial, cancellationToken);
            return !contended && await TakeBackAsync(row, holder, detached, cancellationToken)
                ? AdminOutcome.Done($"The token {row.Serial} is back in the pool.")
                : Contended();
        }, cancellationToken);
        outcome = await AuditedAsync(outcome, AuditEventTypes.TokenUnassigned, actor, holder, $"token {serial} unassigned", reason, cancellationToken);
        return await EndingSessionsAsync(outcome, holder, actor, $"the hardware token {serial} was taken back", cancellationToken);
    }

    /// <summary>A disabled token stays listed and assigned, and is never accepted (the verifier skips it).</summary>
    public async Task<AdminOutcome> SetDisabledAsync(string serial, bool disabled, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        string? holder = null;
        var verb = disabled ? "disabled" : "enabled";
        var outcome = await InTransactionAsync(async () =>
        {
            if (await FindAsync(serial, cancellationToken) is not { } row)
            {
                return NoSuchToken(serial);
            }

            if ((holder = row.UserId) is not null)
            {
                var (changed, contended) = await devices.EditAsync(holder, row.Serial, d => d with { Disabled = disabled }, cancellationToken);
                if (changed is null)
                {
                    return contended ? Contended() : Missing(row);
                }
            }

            var now = time.GetUtcNow().UtcDateTime;
            return await Unchanged(row).ExecuteUpdateAsync(t => t.SetProperty(x => x.Disabled, disabled).SetProperty(x => x.UpdatedAt, now), cancellationToken) == 1
                ? AdminOutcome.Done($"The token {row.Serial} is {verb}.")
                : Contended();
        }, cancellationToken);
        outcome = await AuditedAsync(outcome, disabled ? AuditEventTypes.TokenDisabled : AuditEventTypes.TokenEnabled, actor, holder, $"token {serial} {verb}", reason, cancellationToken);
        return disabled ? await EndingSessionsAsync(outcome, holder, actor, $"the hardware token {serial} was disabled", cancellationToken) : outcome;
    }

    public async Task<AdminOutcome> DeleteAsync(string serial, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: true) is { } refused)
        {
            return refused;
        }

        string? holder = null;
        var outcome = await InTransactionAsync(async () =>
        {
            if (await FindAsync(serial, cancellationToken) is not { } row)
            {
                return NoSuchToken(serial);
            }

            if ((holder = row.UserId) is not null && (await devices.DetachAsync(holder, row.Serial, cancellationToken)).Contended)
            {
                return Contended();
            }

            return await Unchanged(row).ExecuteDeleteAsync(cancellationToken) == 1 ? AdminOutcome.Done($"Deleted the token {row.Serial}.") : Contended();
        }, cancellationToken);
        outcome = await AuditedAsync(outcome, AuditEventTypes.TokenDeleted, actor, holder, $"token {serial} deleted", reason, cancellationToken);
        return await EndingSessionsAsync(outcome, holder, actor, $"the hardware token {serial} was deleted", cancellationToken);
    }

    /// <summary>
    /// Two consecutive codes from the token set its HOTP counter or TOTP drift (RFC 4226 §7.4, RFC 6238 §6),
    /// searching <see cref="TokenResync.Window"/> steps. An administrator's action, not a sign-in: nothing is signed in
    /// by it, and the codes it uses can no longer sign in. A refusal is audited too.
    /// </summary>
    public async Task<AdminOutcome> ResyncAsync(string serial, string? first, string? second, AdminActor actor, CancellationToken cancellationToken)
    {
        string? holder = null;
        var outcome = await InTransactionAsync(async () =>
        {
            if (await FindAsync(serial, cancellationToken) is not { } row)
            {
                return NoSuchToken(serial);
            }

            var now = time.GetUtcNow();
            OtpDevice? Resynced(OtpDevice device)
            {
                if (!protector.TryUnprotect(device.Secret, OtpSecretPurposes.OtpSeed, out var seed))
                {
                    return null;
                }

                try
                {
                    return TokenResync.Find(device, seed, first, second, now);
                }
                finally
                {
                    System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
                }
            }

            var (found, contended) = (holder = row.UserId) is not null
                ? await devices.EditAsync(holder, row.Serial, Resynced, cancellationToken)
                : (Resynced(TokenRecords.ToDevice(row).ToDevice(now)), false);
            if (found is null)
            {
                return contended ? Contended() : AdminOutcome.Invalid($"The two codes are not consecutive codes of the token {row.Serial} within {TokenResync.Window} steps; nothing was changed.");
            }

            return await Unchanged(row).ExecuteUpdateAsync(t => t.SetProperty(x => x.Counter, found.Counter).SetProperty(x => x.Drift, found.Drift)
                    .SetProperty(x => x.LastStep, found.LastStep).SetProperty(x => x.UpdatedAt, now.UtcDateTime), cancellationToken) != 1
                ? Contended()
                : AdminOutcome.Done(found.Type == OtpDeviceType.Hotp
                    ? $"The token {row.Serial} is in step again: its next counter is {found.Counter}."
                    : $"The token {row.Serial} is in step again: its clock is {found.Drift} step(s) off.");
        }, cancellationToken);
        if (outcome.Kind == AdminOutcomeKind.Invalid)
        {
            await audit.WriteAsync(AuditEventTypes.TokenResyncRefused, actor.AuditName, holder, details: $"token {serial}: the two codes given did not resynchronise it", cancellationToken: cancellationToken);
        }

        return await AuditedAsync(outcome, AuditEventTypes.TokenResynced, actor, holder, $"token {serial} resynchronised", null, cancellationToken);
    }

    /// <summary>
    /// Wrong codes are counted per user, on the one guarded path every check takes, not per token: this clears the
    /// holder's count and lock, as <c>users unlock-otp</c> does.
    /// </summary>
    public async Task<AdminOutcome> ResetFailuresAsync(string serial, string? reason, AdminActor actor, CancellationToken cancellationToken)
    {
        if (AdminReasons.Check(reason, required: false) is { } refused)
        {
            return refused;
        }

        var row = await FindAsync(serial, cancellationToken);
        var outcome = row switch
        {
            null => NoSuchToken(serial),
            { UserId: null } => AdminOutcome.Conflict($"The token {row.Serial} is not assigned: it has no failures to reset."),
            _ => null,
        };
        if (outcome is null)
        {
            await failures.ClearAsync(row!.UserId!, cancellationToken);
            outcome = AdminOutcome.Done($"Cleared the wrong-code count and lock of the holder of the token {row.Serial}.");
        }

        return await AuditedAsync(outcome, AuditEventTypes.OtpUnlocked, actor, row?.UserId, $"token {serial}: second-factor lock and wrong-code count cleared", reason, cancellationToken);
    }

    /// <summary>
    /// Before an account is deleted, in the caller's transaction: its tokens go back to the pool with their state
    /// (counter, last step), so a used code stays used. False when the user's devices kept changing: delete nothing.
    /// </summary>
    public async Task<(int Returned, bool Contended)> TakeBackAllAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await db.HardwareTokens.AsNoTracking().Where(t => t.UserId == userId).ToListAsync(cancellationToken);
        foreach (var row in rows)
        {
            var (detached, contended) = await devices.DetachAsync(userId, row.Serial, cancellationToken);
            if (contended || !await TakeBackAsync(row, userId, detached, cancellationToken))
            {
                return (0, true);
            }
        }

        return (rows.Count, false);
    }

    private Task<HardwareTokenRecord?> FindAsync(string? serial, CancellationToken cancellationToken)
    {
        var key = serial?.Trim();
        return TokenSerials.IsValid(key) ? Row(key).AsNoTracking().FirstOrDefaultAsync(cancellationToken) : Task.FromResult<HardwareTokenRecord?>(null);
    }

    private IQueryable<HardwareTokenRecord> Row(string serial) => db.HardwareTokens.Where(t => t.Serial == serial);

    /// <summary>The row, only if nothing an action depends on changed since it was read: a compare-and-set on the row.</summary>
    private IQueryable<HardwareTokenRecord> Unchanged(HardwareTokenRecord read)
        => Row(read.Serial).Where(t => t.UserId == read.UserId && t.Disabled == read.Disabled && t.Counter == read.Counter && t.Drift == read.Drift && t.LastStep == read.LastStep);

    /// <summary>Back to the pool, keeping what use changed (counter, drift, last step) so that a used code stays used; false when the row moved meanwhile.</summary>
    private async Task<bool> TakeBackAsync(HardwareTokenRecord row, string holder, OtpDevice? device, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var counter = device?.Counter ?? row.Counter;
        var drift = device?.Drift ?? row.Drift;
        var lastStep = device?.LastStep ?? row.LastStep;
        var disabled = device?.Disabled ?? row.Disabled;
        return await Row(row.Serial).Where(t => t.UserId == holder)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.UserId, (string?)null).SetProperty(x => x.DeviceId, (string?)null)
                .SetProperty(x => x.Counter, counter).SetProperty(x => x.Drift, drift).SetProperty(x => x.LastStep, lastStep)
                .SetProperty(x => x.Disabled, disabled).SetProperty(x => x.UpdatedAt, now), cancellationToken) == 1;
    }

    /// <summary>Runs one action in a transaction, committed only when it succeeded; a concurrent change refuses it whole.</summary>
    private async Task<AdminOutcome> InTransactionAsync(Func<Task<AdminOutcome>> action, CancellationToken cancellationToken)
    {
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var outcome = await action();
            if (outcome.Succeeded)
            {
                await transaction.CommitAsync(cancellationToken);
            }

            return outcome;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            // A writer that came first (a user enrolling their first device meanwhile, SQLite's single writer) aborts this transaction.
            return Contended();
        }
    }

    private async Task<AdminOutcome> AuditedAsync(AdminOutcome outcome, string type, AdminActor actor, string? userId, string details, string? reason, CancellationToken cancellationToken)
    {
        if (outcome.Succeeded)
        {
            await audit.WriteAsync(type, actor.AuditName, userId, details: details + AdminReasons.Suffix(reason), cancellationToken: cancellationToken);
        }

        return outcome;
    }

    private async Task<AdminOutcome> EndingSessionsAsync(AdminOutcome outcome, string? holder, AdminActor actor, string what, CancellationToken cancellationToken)
        => outcome.Succeeded && holder is not null
            ? outcome with { Message = outcome.Message + await users.EndSessionsAfterRemovalAsync(holder, actor, cancellationToken, what) }
            : outcome;

    private static AdminOutcome Contended() => AdminOutcome.Conflict("The token or its holder's devices changed meanwhile; nothing was changed. Try again.");

    private static AdminOutcome Missing(HardwareTokenRecord row)
        => AdminOutcome.Conflict($"The token {row.Serial} is recorded as assigned, but its holder's devices no longer hold it: unassign it to take it back.");

    public static AdminOutcome NoSuchToken(string? serial)
        => new(AdminOutcomeKind.DeviceNotFound, $"No token '{(serial is null ? string.Empty : serial.Length > 64 ? serial[..64] + "…" : serial)}' in the pool.");
}
