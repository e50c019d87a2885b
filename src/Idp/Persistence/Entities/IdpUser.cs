using Microsoft.AspNetCore.Identity;

namespace Idp.Persistence.Entities;

/// <summary>A person who signs in. <see cref="SubjectId"/> is the OIDC <c>sub</c>: stable, opaque, never the username.</summary>
public sealed class IdpUser : IdentityUser
{
    public string SubjectId { get; set; } = Guid.NewGuid().ToString("N");

    public DateTime CreatedAt { get; set; }
}
