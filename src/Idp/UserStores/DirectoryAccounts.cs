using Idp.Audit;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.UserStores;

/// <summary>
/// The local record of a person from a directory store: found by (store, immutable id), created the first time the
/// person is found, and brought up to date (login, e-mail, display name) each time. Devices, sessions, consents, the
/// lockout counters and <c>sub</c> hang off this record, so they survive a rename in the directory. The record has no
/// password hash: the directory checks passwords.
/// </summary>
public sealed class DirectoryAccounts(IdpDbContext db, ILookupNormalizer normalizer, IOptions<Hosting.IdpOptions> options, IOptions<UserStoreOptions> stores, AuditLog audit, TimeProvider time)
{
    private bool Caching => stores.Value.StoreCache.ResolverLifetime > TimeSpan.Zero;

    /// <summary>
    /// The record of a directory person of one of <paramref name="storeNames"/> whose login this is, when the directory
    /// answered for them since <paramref name="since"/> (the resolver lookup cache); null otherwise.
    /// </summary>
    public Task<IdpUser?> FindCachedAsync(string login, IReadOnlyCollection<string> storeNames, DateTime since, CancellationToken cancellationToken)
    {
        var normalized = normalizer.NormalizeName(login);
        return db.Users.FirstOrDefaultAsync(u => u.NormalizedUserName == normalized && u.StoreName != null && storeNames.Contains(u.StoreName) && u.DirectoryCheckedAt != null && u.DirectoryCheckedAt >= since, cancellationToken);
    }

    /// <summary>The person as the cache remembers them: no groups (roles stay as the last lookup set them).</summary>
    public static DirectoryPerson Remembered(IdpUser user)
        => new(user.StoreName!, user.ExternalId!, user.DirectoryDn!, user.UserName!, user.DisplayName, user.Email, []);

    /// <summary>Flushes a person's cache entries: the next sign-in asks the directory afresh. False: no such directory record.</summary>
    public async Task<bool> ForgetAsync(string userId, CancellationToken cancellationToken)
        => await db.Users.Where(u => u.Id == userId && u.StoreName != null).ExecuteUpdateAsync(s => s.SetProperty(u => u.DirectoryCheckedAt, (DateTime?)null), cancellationToken) == 1;

    /// <summary>Flushes every cache entry; returns how many records held one.</summary>
    public Task<int> ForgetAllAsync(CancellationToken cancellationToken)
        => db.Users.Where(u => u.DirectoryCheckedAt != null).ExecuteUpdateAsync(s => s.SetProperty(u => u.DirectoryCheckedAt, (DateTime?)null), cancellationToken);

    /// <returns>The record, or null when the login is held by another account (audited; an administrator must resolve it).</returns>
    public async Task<IdpUser?> LinkAsync(DirectoryPerson person, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await TryLinkAsync(person, cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another node linked or renamed the same person at this moment: read again what it wrote.
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<IdpUser?> TryLinkAsync(DirectoryPerson person, CancellationToken cancellationToken)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.StoreName == person.StoreName && u.ExternalId == person.ExternalId, cancellationToken);
        var normalizedLogin = normalizer.NormalizeName(person.Login);
        var holder = await db.Users.AsNoTracking().Where(u => u.NormalizedUserName == normalizedLogin).Select(u => new { u.Id, u.StoreName, u.ExternalId }).FirstOrDefaultAsync(cancellationToken);
        if (user is null && holder is not null && holder.StoreName == person.StoreName && holder.ExternalId == person.ExternalId)
        {
            // Linked by another node between the two reads above.
            user = await db.Users.FirstAsync(u => u.Id == holder.Id, cancellationToken);
        }

        if (holder is not null && holder.Id != user?.Id)
        {
            await audit.WriteAsync(AuditEventTypes.StoreConflict, $"store:{person.StoreName}", holder.Id, details: $"the login {person.Login} of {person.StoreName} is held by an account of {holder.StoreName ?? "the built-in store"}; sign-in refused", cancellationToken: cancellationToken);
            return null;
        }

        if (user is null)
        {
            user = new IdpUser
            {
                StoreName = person.StoreName,
                ExternalId = person.ExternalId,
                UserName = person.Login,
                NormalizedUserName = normalizedLogin,
                Email = person.Email,
                NormalizedEmail = person.Email is null ? null : normalizer.NormalizeEmail(person.Email),
                DisplayName = person.DisplayName,
                DirectoryDn = Caching ? person.DistinguishedName : null,
                DirectoryCheckedAt = Caching ? time.GetUtcNow().UtcDateTime : null,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = options.Value.Lockout.Enabled,
                CreatedAt = time.GetUtcNow().UtcDateTime,
            };
            db.Users.Add(user);
            await db.SaveChangesAsync(cancellationToken);
            await audit.WriteAsync(AuditEventTypes.StoreLinked, $"store:{person.StoreName}", user.Id, details: $"{person.Login} first seen in {person.StoreName}", cancellationToken: cancellationToken);
            await SyncRolesAsync(user, person, cancellationToken);
            return user;
        }

        string? changed = null;
        if (user.UserName != person.Login || user.Email != person.Email || user.DisplayName != person.DisplayName)
        {
            changed = user.UserName != person.Login ? $"renamed from {user.UserName} to {person.Login}" : "attributes changed";
            user.UserName = person.Login;
            user.NormalizedUserName = normalizedLogin;
            user.Email = person.Email;
            user.NormalizedEmail = person.Email is null ? null : normalizer.NormalizeEmail(person.Email);
            user.DisplayName = person.DisplayName;
            user.ConcurrencyStamp = Guid.NewGuid().ToString();
        }

        if (Caching)
        {
            // Written only when caching: with it off, a sign-in writes nothing here unless the directory changed.
            user.DirectoryDn = person.DistinguishedName;
            user.DirectoryCheckedAt = time.GetUtcNow().UtcDateTime;
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        if (changed is not null)
        {
            await audit.WriteAsync(AuditEventTypes.StoreUpdated, $"store:{person.StoreName}", user.Id, details: changed, cancellationToken: cancellationToken);
        }

        await SyncRolesAsync(user, person, cancellationToken);
        return user;
    }

    /// <summary>
    /// The roles the store manages (Idp:Stores:N:Ldap:GroupRoles) held exactly as the groups say. A change renews the
    /// security stamp, so open sessions pick it up at their next stamp check instead of keeping a role taken away.
    /// </summary>
    private async Task SyncRolesAsync(IdpUser user, DirectoryPerson person, CancellationToken cancellationToken)
    {
        if (person.ManagedRoles.Count == 0)
        {
            return;
        }

        var managed = person.ManagedRoles.Select(normalizer.NormalizeName).ToList();
        var roles = await db.Roles.Where(r => managed.Contains(r.NormalizedName!)).ToDictionaryAsync(r => r.NormalizedName!, cancellationToken);
        foreach (var missing in person.Roles.Where(r => !roles.ContainsKey(normalizer.NormalizeName(r))))
        {
            var role = new IdentityRole(missing) { NormalizedName = normalizer.NormalizeName(missing), ConcurrencyStamp = Guid.NewGuid().ToString() };
            db.Roles.Add(role);
            roles[role.NormalizedName!] = role;
        }

        var wanted = person.Roles.Select(r => roles[normalizer.NormalizeName(r)].Id).ToHashSet();
        var managedIds = roles.Values.Select(r => r.Id).ToList();
        var held = await db.UserRoles.Where(ur => ur.UserId == user.Id && managedIds.Contains(ur.RoleId)).ToListAsync(cancellationToken);
        var removed = held.Where(ur => !wanted.Contains(ur.RoleId)).ToList();
        var added = wanted.Where(id => held.All(ur => ur.RoleId != id)).ToList();
        if (removed.Count == 0 && added.Count == 0)
        {
            return;
        }

        db.UserRoles.RemoveRange(removed);
        db.UserRoles.AddRange(added.Select(id => new IdentityUserRole<string> { UserId = user.Id, RoleId = id }));
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        await db.SaveChangesAsync(cancellationToken);
        var now = person.Roles.Count == 0 ? "none" : string.Join(", ", person.Roles.Order(StringComparer.Ordinal));
        await audit.WriteAsync(AuditEventTypes.StoreRolesChanged, $"store:{person.StoreName}", user.Id, details: $"roles from directory groups: {now}", cancellationToken: cancellationToken);
    }
}
