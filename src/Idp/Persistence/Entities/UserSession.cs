namespace Idp.Persistence.Entities;

/// <summary>
/// A sign-in session held server-side: the browser's cookie carries only <see cref="Id"/> (the OIDC <c>sid</c>).
/// Deleting the row ends the session on every node.
/// </summary>
public sealed class UserSession
{
    public required string Id { get; set; }

    public required string UserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime LastSeenAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    /// <summary>The serialized authentication ticket, protected with data protection.</summary>
    public required byte[] Ticket { get; set; }
}
