using Microsoft.AspNetCore.Identity;

namespace Idp.Persistence.Entities;

/// <summary>A person who signs in. <see cref="SubjectId"/> is the OIDC <c>sub</c>: stable, opaque, never the username.</summary>
public sealed class IdpUser : IdentityUser
{
    public string SubjectId { get; set; } = Guid.NewGuid().ToString("N");

    public DateTime CreatedAt { get; set; }

    /// <summary>The directory store this person comes from (<c>Idp:Stores:N:Name</c>); null for the built-in store.</summary>
    public string? StoreName { get; set; }

    /// <summary>Their immutable id in that store (entryUUID, objectGUID): the link that survives a rename.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The person's DN when last found (the user lookup cache, <c>Idp:StoreCache</c>).</summary>
    public string? DirectoryDn { get; set; }

    /// <summary>When the directory last answered for this person; null: not cached (never, or flushed).</summary>
    public DateTime? DirectoryCheckedAt { get; set; }

    /// <summary>
    /// When an administrator asked this person to register a second factor (<c>tokens enroll</c>): from then on one is
    /// required at their sign-in, so one without a device is led to enrollment; null: the activation rule alone decides.
    /// </summary>
    public DateTime? SecondFactorRequestedAt { get; set; }

    /// <summary>The directory's display name (the <c>name</c> claim); null: the username.</summary>
    public string? DisplayName { get; set; }
}
