namespace Idp.UserStores;

/// <summary>One entry of <c>Idp:Realms</c>: the stores asked for a login, in order; the first that knows it answers.</summary>
public sealed class RealmSettings
{
    public string Name { get; set; } = string.Empty;

    /// <summary>Store names from <c>Idp:Stores</c>.</summary>
    public List<string> Stores { get; set; } = [];
}
