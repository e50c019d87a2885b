namespace Idp.Accounts;

/// <summary>A new sign-in session as the store keeps it; <paramref name="Ticket"/> is already protected with data protection.</summary>
public sealed record StoredSession(string Id, string UserId, DateTime CreatedAt, DateTime ExpiresAt, byte[] Ticket);
