using Idp.Persistence.Entities;
using Idp.SecondFactors;

namespace Idp.Accounts;

/// <summary>
/// The lookup every sign-in and code check starts with: the accounts side of the store boundary; the database's side
/// is <c>Persistence/Stores/EfAccountLookupStore</c>.
/// </summary>
public interface IAccountLookupStore
{
    /// <summary>
    /// The account with this normalized user name, tracked as Identity's own lookup tracks it (Identity goes on to
    /// update it), and its second-factor document read in the same round trip; null when there is no such account.
    /// </summary>
    Task<(IdpUser User, StoredDocument Document)?> FindByNameWithDocumentAsync(string normalizedUserName);
}
