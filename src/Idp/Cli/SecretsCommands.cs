using System.CommandLine;
using System.Xml.Linq;
using Idp.Hosting.DataProtection;
using Idp.Otp.Secrets;
using Idp.Secrets;
using Idp.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Idp.Cli;

/// <summary>
/// <c>secrets reencrypt</c>: after a key change (new key in Idp:Secrets:KeyFile, old one in
/// Idp:Secrets:PreviousKeyFiles), rewrites every stored secret under the new key. The old key keeps decrypting
/// until this finishes; afterwards it can be removed from the configuration.
/// </summary>
internal static class SecretsCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var secrets = new Command("secrets", "Manage the encryption of stored secrets.");
        var reencrypt = new Command("reencrypt", "Re-encrypt every stored OTP seed (devices and the token pool), data-protection key and signing key under the current Idp:Secrets key (retired signing keys are deleted).");
        reencrypt.SetAction(async (_, cancellationToken) =>
        {
            var cli = context();
            if (await CliDatabase.EnsureReadyAsync(cli.Services, cancellationToken) is { } problem)
            {
                return cli.Fail(problem);
            }

            var protector = cli.Services.GetRequiredService<SecretProtector>();
            var seeds = await ReencryptSeedsAsync(cli, protector, cancellationToken);
            if (seeds is null)
            {
                return CliExitCodes.Failed;
            }

            var tokens = await ReencryptPoolAsync(cli, protector, cancellationToken);
            if (tokens is null)
            {
                return CliExitCodes.Failed;
            }

            var keys = await ReencryptDataProtectionKeysAsync(cli, protector, cancellationToken);
            if (keys is null)
            {
                return CliExitCodes.Failed;
            }

            var (signing, pruned, signingProblem) = await cli.Services.GetRequiredService<Oidc.Keys.SigningKeyService>().ReencryptAsync(cancellationToken);
            if (signingProblem is not null)
            {
                return cli.Fail(signingProblem);
            }

            cli.Output.WriteLine($"Re-encrypted {seeds} OTP seed(s), {tokens} pool token seed(s), {keys} data-protection key(s) and {signing} signing key(s) under key {protector.CurrentKeyId}; deleted {pruned} retired signing key(s).");
            return CliExitCodes.Succeeded;
        });
        secrets.Add(reencrypt);
        return secrets;
    }

    /// <summary>Each kind with keys re-encrypts them, user by user (the keys' format is the factor's business).</summary>
    private static async Task<int?> ReencryptSeedsAsync(CliContext cli, SecretProtector protector, CancellationToken cancellationToken)
    {
        var db = cli.Services.GetRequiredService<IdpDbContext>();
        var kinds = cli.Services.GetServices<Idp.SecondFactors.ISecondFactorKeys>().ToList();
        var userIds = await db.SecondFactorDocuments.AsNoTracking().Select(d => d.UserId).ToListAsync(cancellationToken);
        var count = 0;
        foreach (var userId in userIds)
        {
            foreach (var kind in kinds)
            {
                var (reencrypted, problem) = await kind.ReencryptAsync(userId, cancellationToken);
                if (problem is not null)
                {
                    cli.Fail(problem);
                    return null;
                }

                count += reencrypted;
            }
        }

        return count;
    }

    /// <summary>The token pool's own copies of the seeds (an assigned token's device copy is its holder's document's).</summary>
    private static async Task<int?> ReencryptPoolAsync(CliContext cli, SecretProtector protector, CancellationToken cancellationToken)
    {
        var db = cli.Services.GetRequiredService<IdpDbContext>();
        var count = 0;
        foreach (var token in await db.HardwareTokens.ToListAsync(cancellationToken))
        {
            if (SecretProtector.KeyIdOf(token.Secret) == protector.CurrentKeyId)
            {
                continue;
            }

            if (!protector.TryUnprotect(token.Secret, OtpSecretPurposes.OtpSeed, out var seed))
            {
                cli.Fail($"the pool token {token.Serial} cannot be decrypted with the configured keys; add its key to Idp:Secrets:PreviousKeyFiles");
                return null;
            }

            token.Secret = protector.Protect(seed, OtpSecretPurposes.OtpSeed);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
            count++;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return count;
    }

    private static async Task<int?> ReencryptDataProtectionKeysAsync(CliContext cli, SecretProtector protector, CancellationToken cancellationToken)
    {
        var db = cli.Services.GetRequiredService<IdpDbContext>();
        var count = 0;
        foreach (var record in await db.DataProtectionKeys.ToListAsync(cancellationToken))
        {
            var element = XElement.Parse(record.Xml);
            var encrypted = element.Descendants(SecretKeyXmlEncryptor.ElementName).FirstOrDefault();
            if (encrypted is null || SecretProtector.KeyIdOf(encrypted.Value) == protector.CurrentKeyId)
            {
                continue;
            }

            if (!protector.TryUnprotect(encrypted.Value, SecretKeyXmlEncryptor.Purpose, out var plain))
            {
                cli.Fail($"data-protection key record {record.Id} cannot be decrypted with the configured keys");
                return null;
            }

            encrypted.Value = protector.Protect(plain, SecretKeyXmlEncryptor.Purpose);
            record.Xml = element.ToString(SaveOptions.DisableFormatting);
            count++;
        }

        await db.SaveChangesAsync(cancellationToken);
        return count;
    }
}
