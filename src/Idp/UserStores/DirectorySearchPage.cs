namespace Idp.UserStores;

/// <summary>One page of an administrator's search of a directory store, and whether more people match after it.</summary>
public sealed record DirectorySearchPage(IReadOnlyList<DirectoryPerson> People, bool More);
