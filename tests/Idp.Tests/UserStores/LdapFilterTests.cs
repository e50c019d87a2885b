using Idp.UserStores.Ldap;

namespace Idp.Tests.UserStores;

/// <summary>Filters from typed logins (RFC 4515) and names read from DNs (RFC 4514).</summary>
public sealed class LdapFilterTests
{
    /// <summary>The escaped values of RFC 4515 §4's examples.</summary>
    [Theory]
    [InlineData("Parens R Us (for all your parenthetical needs)", "Parens R Us \\28for all your parenthetical needs\\29")]
    [InlineData("*", "\\2a")]
    [InlineData("C:\\MyFile", "C:\\5cMyFile")]
    [InlineData("\0\0\0\u0004", "\\00\\00\\00\u0004")]
    [InlineData("Lučić", "Lučić")]
    public void Escape_FollowsRfc4515(string value, string escaped)
        => Assert.Equal(escaped, LdapFilter.Escape(value));

    [Fact]
    public void ForLogin_MatchesAnyLoginAttribute_InsideTheStoresFilter()
        => Assert.Equal("(&(objectClass=person)(|(uid=a\\2a)(mail=a\\2a)))", LdapFilter.ForLogin("(objectClass=person)", ["uid", "mail"], "a*"));

    [Theory]
    [InlineData("(objectClass=person)", true)]
    [InlineData("(&(objectClass=person)(!(pwdAccountLockedTime=*)))", true)]
    [InlineData("objectClass=person", false)]
    [InlineData("(objectClass=person))(|(uid=*)", false)]
    [InlineData("(objectClass=person", false)]
    [InlineData("", false)]
    public void IsBalanced_AcceptsOneFilterOnly(string filter, bool balanced)
        => Assert.Equal(balanced, LdapFilter.IsBalanced(filter));

    [Theory]
    [InlineData("CN=Idp Admins, OU=Groups,DC=corp,DC=example", "cn=idp admins,ou=groups,dc=corp,dc=example")]
    [InlineData("cn = a\\, b , ou=x", "cn=a\\, b,ou=x")]
    public void Normalize_IgnoresCaseAndSpacing(string dn, string normalized)
        => Assert.Equal(normalized, LdapNames.Normalize(dn));

    [Theory]
    [InlineData("cn=vpn-users,ou=groups,dc=example,dc=org", "vpn-users")]
    [InlineData("cn=Sales\\, EMEA,ou=groups,dc=example,dc=org", "Sales, EMEA")]
    [InlineData("CN=Domain Admins,CN=Users,DC=corp,DC=example", "Domain Admins")]
    [InlineData("cn=a\\2Bb+uid=1,dc=example", "a+b")]
    public void FirstValue_ReadsTheFirstRdn(string dn, string value)
        => Assert.Equal(value, LdapNames.FirstValue(dn));
}
