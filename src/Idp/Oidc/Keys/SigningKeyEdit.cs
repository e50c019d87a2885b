namespace Idp.Oidc.Keys;

/// <summary>What one edit of the signing keys writes, all in one transaction: keys added, keys rewritten (re-encrypted), keys deleted.</summary>
public sealed record SigningKeyEdit(IReadOnlyList<StoredSigningKey> Added, IReadOnlyList<StoredSigningKey> Rewritten, IReadOnlyList<string> Deleted)
{
    public static SigningKeyEdit None { get; } = new([], [], []);
}
