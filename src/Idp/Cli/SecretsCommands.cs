using System.CommandLine;
using System.Xml.Linq;
using Idp.Hosting.DataProtection;
using Idp.Otp.Abstractions;
using Idp.Otp.Secrets;
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
        var reencrypt = new Command("reencrypt", "Re-encrypt every stored OTP seed and data-protection key under the current Idp:Secrets key.");
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

            var keys = await ReencryptDataProtectionKeysAsync(cli, protector, cancellationToken);
            if (keys is null)
            {
                return CliExitCodes.Failed;
            }

            cli.Output.WriteLine($"Re-encrypted {seeds} OTP seed(s) and {keys} data-protection key(s) under key {protector.CurrentKeyId}.");
            return CliExitCodes.Succeeded;
        });
        secrets.Add(reencrypt);
        return secrets;
    }

    private static async Task<int?> ReencryptSeedsAsync(CliContext cli, SecretProtector protector, CancellationToken cancellationToken)
    {
        var db = cli.Services.GetRequiredService<IdpDbContext>();
        var store = cli.Services.GetRequiredService<IOtpDeviceStore>();
        var userIds = await db.SecondFactorDocuments.AsNoTracking().Select(d => d.UserId).ToListAsync(cancellationToken);
        var count = 0;
        foreach (var userId in userIds)
        {
            // Compare-and-set per user; a lost race (someone signed in meanwhile) is simply redone.
            for (var attempt = 0; ; attempt++)
            {
                var stored = await store.LoadAsync(userId, cancellationToken);
                var document = stored.Document;
                var changed = 0;
                foreach (var device in stored.Document.Devices.Where(d => SecretProtector.KeyIdOf(d.Secret) != protector.CurrentKeyId))
                {
                    if (!protector.TryUnprotect(device.Secret, SecretPurposes.OtpSeed, out var seed))
                    {
                        cli.Fail($"device {device.Id} of user {userId} cannot be decrypted with the configured keys; add its key to Idp:Secrets:PreviousKeyFiles");
                        return null;
                    }

                    document = document.Replace(device with { Secret = protector.Protect(seed, SecretPurposes.OtpSeed) });
                    changed++;
                }

                if (changed == 0 || await store.TryReplaceAsync(userId, document, stored.Version, cancellationToken))
                {
                    count += changed;
                    break;
                }

                if (attempt == 10)
                {
                    cli.Fail($"the devices of user {userId} keep changing; run the command again");
                    return null;
                }
            }
        }

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
