using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;

namespace Idp.Accounts;

/// <summary>
/// Identity's user checks, except that a directory person's login is the directory's to choose: the character rule
/// (IdentityOptions.User.AllowedUserNameCharacters) is for names Idp gives local accounts, and applying it to a
/// record named <c>jürgen o'brien</c> by LDAP or SQL would make every later update of it fail, a lock or an unlock
/// among them. Such a login must still be unique.
/// </summary>
internal sealed class StoreAwareUserValidator(IdentityErrorDescriber errors) : UserValidator<IdpUser>(errors)
{
    public override async Task<IdentityResult> ValidateAsync(UserManager<IdpUser> manager, IdpUser user)
    {
        if (user.StoreName is null)
        {
            return await base.ValidateAsync(manager, user);
        }

        var name = await manager.GetUserNameAsync(user);
        if (string.IsNullOrWhiteSpace(name))
        {
            return IdentityResult.Failed(Describer.InvalidUserName(name));
        }

        var owner = await manager.FindByNameAsync(name);
        return owner is null || owner.Id == user.Id ? IdentityResult.Success : IdentityResult.Failed(Describer.DuplicateUserName(name));
    }
}
