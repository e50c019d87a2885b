using Idp.Persistence.Entities;

namespace Idp.Persistence.Stores;

/// <summary>An account as Identity tracks it, and its second-factor document (null: none yet) read in the same round trip.</summary>
internal sealed record AccountWithDocument(IdpUser User, string? Json, long Version);
