namespace Idp.UserStores;

/// <summary>
/// A store holds more than one person for a login (e.g. one's uid is another's mail). The login then names nobody:
/// later stores of the realm are not asked either, or a person there could take the name.
/// </summary>
internal sealed class AmbiguousLoginException(string storeName) : Exception($"User store {storeName} holds more than one person for a login")
{
    public string StoreName { get; } = storeName;
}
