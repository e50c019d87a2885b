using Idp.Hosting;
using Microsoft.Extensions.Options;

namespace Idp.Tests.Hosting;

/// <summary>
/// Each area checks its own part of the <c>Idp</c> section: the defaults pass every validator, and one wrong value
/// is refused by its area's validator, with a message that names the key.
/// </summary>
public sealed class AreaOptionsValidatorTests
{
    public static TheoryData<string, string, string> Rules => new()
    {
        { nameof(Idp.Accounts.AccountOptionsValidator), "Password.MinLength = 4", "Idp:Password:MinLength" },
        { nameof(Idp.Accounts.AccountOptionsValidator), "Lockout.Duration = 31 days", "Idp:Lockout:Duration" },
        { nameof(Idp.Accounts.AccountOptionsValidator), "Setup.TokenLifetime = 0", "Idp:Setup:TokenLifetime" },
        { nameof(Idp.Accounts.AccountOptionsValidator), "Session.IdleTimeout = 10 s", "Idp:Session:IdleTimeout" },
        { nameof(EdgeOptionsValidator), "RateLimits.TokenPerMinute = 0", "Idp:RateLimits:TokenPerMinute" },
        { nameof(EdgeOptionsValidator), "KnownProxies = [not-an-address]", "Idp:KnownProxies" },
        { nameof(EdgeOptionsValidator), "Limits.MaxFormFields = 5", "Idp:Limits:MaxFormFields" },
        { nameof(Idp.Admin.AdminOptionsValidator), "Admin.ApiScope = \"a b\"", "Idp:Admin:ApiScope" },
        { nameof(Idp.Audit.AuditOptionsValidator), "Audit.BufferSize = 10", "Idp:Audit:BufferSize" },
        { nameof(Idp.Accounts.Notices.MailOptionsValidator), "Mail.PickupDirectory set, From missing", "Idp:Mail:From" },
        { nameof(Idp.Oidc.OidcOptionsValidator), "Tokens.AuthorizationCodeLifetime = 1 h", "Idp:Tokens:AuthorizationCodeLifetime" },
        { nameof(Idp.Oidc.OidcOptionsValidator), "Acr.Password = Acr.SecondFactor", "Idp:Acr:Password" },
    };

    [Fact]
    public void TheDefaults_PassEveryAreasValidator()
    {
        foreach (var validator in Validators.Values)
        {
            var result = validator.Validate(null, new IdpOptions());
            Assert.True(result.Succeeded, result.FailureMessage);
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void AWrongValue_IsRefusedByItsArea_NamingTheKey(string validatorName, string change, string key)
    {
        var options = new IdpOptions();
        Breaks[change](options);

        var result = Validators[validatorName].Validate(null, options);

        Assert.True(result.Failed, change);
        Assert.Contains(result.Failures!, failure => failure.StartsWith(key, StringComparison.Ordinal));
        // Only its own area objects: every other validator still passes the same options.
        foreach (var (name, other) in Validators.Where(v => v.Key != validatorName))
        {
            Assert.True(other.Validate(null, options).Succeeded, $"{name} refused \"{change}\"");
        }
    }

    private static readonly Dictionary<string, IValidateOptions<IdpOptions>> Validators = new()
    {
        [nameof(Idp.Accounts.AccountOptionsValidator)] = new Idp.Accounts.AccountOptionsValidator(),
        [nameof(EdgeOptionsValidator)] = new EdgeOptionsValidator(),
        [nameof(Idp.Admin.AdminOptionsValidator)] = new Idp.Admin.AdminOptionsValidator(),
        [nameof(Idp.Audit.AuditOptionsValidator)] = new Idp.Audit.AuditOptionsValidator(),
        [nameof(Idp.Accounts.Notices.MailOptionsValidator)] = new Idp.Accounts.Notices.MailOptionsValidator(),
        [nameof(Idp.Oidc.OidcOptionsValidator)] = new Idp.Oidc.OidcOptionsValidator(),
    };

    private static readonly Dictionary<string, Action<IdpOptions>> Breaks = new()
    {
        ["Password.MinLength = 4"] = o => o.Password.MinLength = 4,
        ["Lockout.Duration = 31 days"] = o => o.Lockout.Duration = TimeSpan.FromDays(31),
        ["Setup.TokenLifetime = 0"] = o => o.Setup.TokenLifetime = TimeSpan.Zero,
        ["Session.IdleTimeout = 10 s"] = o => o.Session.IdleTimeout = TimeSpan.FromSeconds(10),
        ["RateLimits.TokenPerMinute = 0"] = o => o.RateLimits.TokenPerMinute = 0,
        ["KnownProxies = [not-an-address]"] = o => o.KnownProxies = ["not-an-address"],
        ["Limits.MaxFormFields = 5"] = o => o.Limits.MaxFormFields = 5,
        ["Admin.ApiScope = \"a b\""] = o => o.Admin.ApiScope = "a b",
        ["Audit.BufferSize = 10"] = o => o.Audit.BufferSize = 10,
        ["Mail.PickupDirectory set, From missing"] = o => (o.Mail.PickupDirectory, o.Mail.From) = ("/tmp/idp-mail", null),
        ["Tokens.AuthorizationCodeLifetime = 1 h"] = o => o.Tokens.AuthorizationCodeLifetime = TimeSpan.FromHours(1),
        ["Acr.Password = Acr.SecondFactor"] = o => o.Acr.Password = o.Acr.SecondFactor,
    };
}
