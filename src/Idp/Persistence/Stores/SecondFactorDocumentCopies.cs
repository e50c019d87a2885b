using Idp.SecondFactors;

namespace Idp.Persistence.Stores;

/// <summary>
/// The second-factor documents this request has read, so that it reads each from the database once: a sign-in looks
/// the account up together with its devices (<see cref="Accounts.UserDirectory"/>), lists them, then verifies a code
/// against them. Scoped: one request's reads only. A copy is as safe as any read, since every write is a
/// compare-and-set on the version it was read at; but "this user has no second factor", which lets the password
/// alone through, is never concluded from a copy read before the password was checked
/// (<see cref="Accounts.SecondFactor.SecondFactorPolicy"/> reads again).
/// </summary>
public sealed class SecondFactorDocumentCopies
{
    private readonly Dictionary<string, Copy> _copies = new(StringComparer.Ordinal);

    public void Keep(string userId, StoredDocument document) => _copies[userId] = new Copy(document, BeforePassword: false);

    public bool TryGet(string userId, out StoredDocument document)
    {
        var found = _copies.TryGetValue(userId, out var copy);
        document = copy.Document!;
        return found;
    }

    /// <summary>The document is being written: the next load reads the database.</summary>
    public void Forget(string userId) => _copies.Remove(userId);

    /// <summary>The user's password was just found right: a copy held now was read before that.</summary>
    public void PasswordChecked(string userId)
    {
        if (_copies.TryGetValue(userId, out var copy))
        {
            _copies[userId] = copy with { BeforePassword = true };
        }
    }

    /// <summary>Drops the copy if it was read before the user's password was checked (the next load reads the database); whether it did.</summary>
    public bool ForgetIfReadBeforePassword(string userId) => _copies.TryGetValue(userId, out var copy) && copy.BeforePassword && _copies.Remove(userId);

    private readonly record struct Copy(StoredDocument Document, bool BeforePassword);
}
