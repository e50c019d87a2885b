using System.Security.Cryptography;
using System.Text;
using Idp.UserStores.Sql;
using Microsoft.AspNetCore.Identity;

namespace Idp.Tests.UserStores;

/// <summary>
/// Hashes written by other programs than Idp's libraries (htpasswd, slappasswd, openssl) and the RFC 7914 §11
/// PBKDF2-HMAC-SHA256 vector: the right password matches, any other does not, and a malformed value never throws.
/// </summary>
public sealed class SqlPasswordHashTests
{
    private const string Password = "correct hörse battery";

    [Fact]
    public async Task Bcrypt_FromHtpasswd_Matches_InEachPrefix()
    {
        var hash = await SqlScenario.BcryptAsync(Password);

        Assert.StartsWith("$2y$05$", hash, StringComparison.Ordinal);
        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.Bcrypt, hash, Password));
        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.Bcrypt, "$2b$" + hash[4..], Password));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.Bcrypt, hash, Password + "x"));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.Bcrypt, "$2x$" + hash[4..], Password));
    }

    /// <summary>RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1; its first 32 bytes are Django's key.</summary>
    [Fact]
    public void DjangoPbkdf2_MatchesTheRfc7914Vector()
    {
        var key = Convert.ToBase64String(Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"));

        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.DjangoPbkdf2, $"pbkdf2_sha256$1$salt${key}", "passwd"));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.DjangoPbkdf2, $"pbkdf2_sha256$2$salt${key}", "passwd"));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.DjangoPbkdf2, $"pbkdf2_sha256$1$salt${key}", "passwD"));
    }

    [Fact]
    public async Task DjangoPbkdf2_FromOpenssl_Matches()
    {
        var salt = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var result = await ExternalTool.RunAsync("sh", ["-c", $"openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt pass:'{Password}' -kdfopt salt:{salt} -kdfopt iter:20000 -binary PBKDF2 | base64"]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var hash = $"pbkdf2_sha256$20000${salt}${result.StandardOutput.Trim()}";

        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.DjangoPbkdf2, hash, Password));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.DjangoPbkdf2, hash, "correct horse battery"));
    }

    [Fact]
    public async Task SaltedSha_FromSlappasswd_Matches()
    {
        var result = await ExternalTool.RunAsync("slappasswd", ["-h", "{SSHA}", "-s", Password]);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var hash = result.StandardOutput.Trim();

        Assert.StartsWith("{SSHA}", hash, StringComparison.Ordinal);
        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.SaltedSha, hash, Password));
        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.SaltedSha, "{ssha}" + hash[6..], Password));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.SaltedSha, hash, Password + " "));
    }

    /// <summary>{SSHA512}: the digest by openssl over the password then the salt, as RFC 2307-style schemes store it.</summary>
    [Fact]
    public async Task SaltedSha512_FromOpensslsDigest_Matches()
    {
        var salt = RandomNumberGenerator.GetBytes(8);
        var input = Path.GetTempFileName();
        await File.WriteAllBytesAsync(input, [.. Encoding.UTF8.GetBytes(Password), .. salt]);
        var result = await ExternalTool.RunAsync("openssl", ["dgst", "-sha512", "-hex", "-r", input]);
        File.Delete(input);
        var digest = Convert.FromHexString(result.StandardOutput.Split(' ')[0]);
        var hash = "{SSHA512}" + Convert.ToBase64String([.. digest, .. salt]);

        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.SaltedSha, hash, Password));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.SaltedSha, hash, "correct horse battery"));
    }

    [Fact]
    public void AspNetIdentity_Version3AndVersion2_Match()
    {
        var version3 = new PasswordHasher<object>().HashPassword(new object(), Password);
        var version2 = new PasswordHasher<object>(Microsoft.Extensions.Options.Options.Create(new PasswordHasherOptions { CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV2 })).HashPassword(new object(), Password);

        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.AspNetIdentity, version3, Password));
        Assert.True(SqlPasswordHashes.Verify(SqlHashFormat.AspNetIdentity, version2, Password));
        Assert.False(SqlPasswordHashes.Verify(SqlHashFormat.AspNetIdentity, version3, Password + "!"));
    }

    /// <summary>Identity trusts a version 3 hash's iteration count; a row asking for 2^31 - 1 is refused, not run for hours.</summary>
    [Fact]
    public void AnAspNetIdentityHashAskingForBillionsOfIterations_IsRefusedAtOnce()
    {
        var bytes = Convert.FromBase64String(new PasswordHasher<object>().HashPassword(new object(), Password));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5, 4), int.MaxValue);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var matched = SqlPasswordHashes.Verify(SqlHashFormat.AspNetIdentity, Convert.ToBase64String(bytes), Password);

        Assert.False(matched);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData(SqlHashFormat.Bcrypt, "$2y$16$9mvNqOTFtX8V9Wu3fXpXxOKWTNWF73.rRT2a3C1nUhyIDHj.kdiLu")]
    [InlineData(SqlHashFormat.Bcrypt, "$2y$")]
    [InlineData(SqlHashFormat.Bcrypt, "$2y$05$tooshort")]
    [InlineData(SqlHashFormat.Bcrypt, "correct hörse battery")]
    [InlineData(SqlHashFormat.DjangoPbkdf2, "pbkdf2_sha256$0$salt$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=")]
    [InlineData(SqlHashFormat.DjangoPbkdf2, "pbkdf2_sha256$99999999999$salt$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=")]
    [InlineData(SqlHashFormat.DjangoPbkdf2, "pbkdf2_sha256$1$salt$not base64")]
    [InlineData(SqlHashFormat.DjangoPbkdf2, "pbkdf2_sha1$1$salt$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=")]
    [InlineData(SqlHashFormat.AspNetIdentity, "not base64 at all")]
    [InlineData(SqlHashFormat.AspNetIdentity, "AQ==")]
    [InlineData(SqlHashFormat.SaltedSha, "{SSHA}!!!")]
    [InlineData(SqlHashFormat.SaltedSha, "{SSHA}AAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData(SqlHashFormat.SaltedSha, "{MD5}X03MO1qnZdYdgyfeuILPmQ==")]
    [InlineData(SqlHashFormat.SaltedSha, "{SSHA")]
    [InlineData(SqlHashFormat.SaltedSha, "")]
    public void AMalformedHash_NeverMatches_AndNeverThrows(SqlHashFormat format, string stored)
        => Assert.False(SqlPasswordHashes.Verify(format, stored, Password));
}
