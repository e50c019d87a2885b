using Idp.SecondFactors;

namespace Idp.Persistence.Stores;

/// <summary>
/// Second-factor documents read in the same round trip as their user's account (a sign-in looks the account up, then
/// needs its devices), kept for the rest of the request and handed out once. Scoped: one request's reads only.
/// A copy is as safe as any read of a document: every write is a compare-and-set on the version it was read at.
/// </summary>
public sealed class PrefetchedSecondFactorDocuments
{
    private readonly Dictionary<string, StoredDocument> _documents = new(StringComparer.Ordinal);

    public void Offer(string userId, StoredDocument document) => _documents[userId] = document;

    /// <summary>The copy read with the account, once: the next load of the same document reads the database again.</summary>
    public bool TryTake(string userId, out StoredDocument document) => _documents.Remove(userId, out document!);

    /// <summary>The document is being written: a copy read before is no longer the stored one.</summary>
    public void Forget(string userId) => _documents.Remove(userId);
}
