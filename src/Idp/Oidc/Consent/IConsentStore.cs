namespace Idp.Oidc.Consent;

/// <summary>
/// What each user agreed to share with each client that requires consent. The engine's side of the store boundary;
/// the database's side is <c>Persistence/Stores/EfConsentStore</c>.
/// </summary>
public interface IConsentStore
{
    /// <summary>True when the user consented to every scope, at or after <paramref name="notBefore"/> when given.</summary>
    Task<bool> CoversAsync(string userId, string clientId, IEnumerable<string> scopes, DateTime? notBefore, CancellationToken cancellationToken);

    /// <summary>Records (or replaces) the user's consent to these scopes for the client.</summary>
    Task GrantAsync(string userId, string clientId, IEnumerable<string> scopes, CancellationToken cancellationToken);
}
