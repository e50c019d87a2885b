namespace Idp.Secrets;

/// <summary>
/// The current key (encrypts) and any previous keys (still decrypt), so a key change can re-encrypt stored
/// secrets while nodes keep working.
/// </summary>
public sealed class SecretKeyRing
{
    private readonly Dictionary<string, SecretKey> _byId;

    public SecretKeyRing(SecretKey current, IEnumerable<SecretKey>? previous = null)
    {
        Current = current;
        _byId = new Dictionary<string, SecretKey>(StringComparer.Ordinal) { [current.Id] = current };
        foreach (var key in previous ?? [])
        {
            _byId.TryAdd(key.Id, key);
        }
    }

    public SecretKey Current { get; }

    public bool TryFind(string id, out SecretKey? key) => _byId.TryGetValue(id, out key);
}
