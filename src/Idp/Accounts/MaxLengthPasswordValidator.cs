using Idp.Hosting;
using Idp.Persistence.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Idp.Accounts;

/// <summary>Refuses passwords beyond <c>Idp:Password:MaxLength</c>, so nobody makes the server hash megabytes.</summary>
internal sealed class MaxLengthPasswordValidator(IOptions<IdpOptions> options) : IPasswordValidator<IdpUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<IdpUser> manager, IdpUser user, string? password)
    {
        var max = options.Value.Password.MaxLength;
        return Task.FromResult(password is not null && password.Length > max
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordTooLong", Description = $"Passwords must be at most {max} characters." })
            : IdentityResult.Success);
    }
}
