using Idp.Otp.Abstractions;
using Idp.Otp.Devices;
using Idp.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace Idp.Persistence.Stores;

/// <summary>
/// A user's device array in <c>UserOtpDevices</c>. Every write is a compare-and-set on <c>Version</c>
/// (<c>UPDATE … WHERE Version = @expected</c>, one row or none), never read-then-write.
/// </summary>
internal sealed class EfOtpDeviceStore(IdpDbContext db, TimeProvider time) : IOtpDeviceStore
{
    public async Task<StoredOtpDevices> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var row = await db.UserOtpDevices.AsNoTracking().FirstOrDefaultAsync(d => d.UserId == userId, cancellationToken);
        if (row is null)
        {
            return StoredOtpDevices.None;
        }

        if (!OtpDeviceJson.TryRead(row.DevicesJson, out var document, out var errors))
        {
            // Our own writes are always valid; a broken row was edited by hand and must not be silently overwritten.
            throw new InvalidOperationException($"The stored second-factor devices of user {userId} are not valid: {string.Join("; ", errors)}");
        }

        return new StoredOtpDevices(document, row.Version);
    }

    public async Task<bool> TryReplaceAsync(string userId, OtpDeviceDocument document, long expectedVersion, CancellationToken cancellationToken)
    {
        var json = OtpDeviceJson.Write(document);
        var now = time.GetUtcNow().UtcDateTime;
        if (expectedVersion == 0)
        {
            db.UserOtpDevices.Add(new UserOtpDevices { UserId = userId, DevicesJson = json, Version = 1, UpdatedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return true;
            }
            catch (DbUpdateException)
            {
                // Another writer inserted the row first (primary key clash).
                db.ChangeTracker.Clear();
                return false;
            }
        }

        var updated = await db.UserOtpDevices
            .Where(d => d.UserId == userId && d.Version == expectedVersion)
            .ExecuteUpdateAsync(d => d.SetProperty(x => x.DevicesJson, json).SetProperty(x => x.Version, expectedVersion + 1).SetProperty(x => x.UpdatedAt, now), cancellationToken);
        return updated == 1;
    }
}
