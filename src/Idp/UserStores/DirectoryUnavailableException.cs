namespace Idp.UserStores;

/// <summary>A directory store could not answer (every server down, a timeout, a refused service bind).</summary>
public sealed class DirectoryUnavailableException(string storeName, string reason, Exception? inner = null)
    : Exception($"User store {storeName} is unavailable: {reason}", inner)
{
    public string StoreName { get; } = storeName;
}
