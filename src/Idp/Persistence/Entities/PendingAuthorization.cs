namespace Idp.Persistence.Entities;

/// <summary>
/// An authorization request waiting for the person (sign-in, second factor, consent). The browser carries only its
/// random id; the parameters stay here, and are validated again when the request resumes.
/// </summary>
public sealed class PendingAuthorization
{
    public required string Id { get; set; }

    public required string Parameters { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }
}
