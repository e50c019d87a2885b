using Idp.Otp.Algorithms;
using Idp.Otp.Options;
using Idp.Otp.Secrets;
using Idp.Otp.Verification;
using Idp.Persistence;
using Idp.Persistence.Entities;
using Idp.SecondFactors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Idp.Tokens;

/// <summary>
/// Assign on first use (privacyIDEA's passthru_assign): which unassigned token of the pool a code comes from. Only a
/// bounded number of candidates is tried (Idp:Validation:PassthruAssignCandidates, the first by serial that are
/// enabled and were never used: a token that went back to the pool after use, perhaps still in a former holder's
/// drawer, is assigned only by an administrator), each at its current counter (no look-ahead) or its current step
/// within Otp:Range. A guessed code therefore has a chance of candidates × (2 × range + 1) in 10^digits; the caller
/// runs this on the guarded path, whose failure budget counts every miss. Nothing is consumed here: the assignment,
/// then the ordinary verification, do that.
/// </summary>
internal sealed class PoolAssignment(IdpDbContext db, ISecretProtector protector, IOptionsMonitor<OtpOptions> otp, TimeProvider time)
{
    /// <summary>The code length every candidate has, or null when they differ or there is none.</summary>
    public async Task<int?> CodeLengthAsync(int candidates, CancellationToken cancellationToken)
    {
        var lengths = await Candidates(candidates).Select(t => t.Digits).Distinct().ToListAsync(cancellationToken);
        return lengths is [var only] ? only : null;
    }

    /// <summary>The serial of the candidate that shows <paramref name="code"/> now, or null.</summary>
    public async Task<string?> FindAsync(string code, int candidates, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var range = otp.CurrentValue.Range;
        string? found = null;
        foreach (var row in await Candidates(candidates).ToListAsync(cancellationToken))
        {
            var device = TokenRecords.ToDevice(row).ToDevice(now);
            if (!OtpCodeInput.TryParse(code, device.Digits, out var value) || !protector.TryUnprotect(row.Secret, OtpSecretPurposes.OtpSeed, out var seed))
            {
                continue;
            }

            // Every candidate is tried, a match or not, so the time taken does not tell where in the pool it was.
            var match = OtpVerifier.Check(device, seed, value, now, range, hotpLookAhead: 0);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(seed);
            found ??= match.Kind == OtpMatchKind.Accepted ? row.Serial : null;
        }

        return found;
    }

    private IQueryable<HardwareTokenRecord> Candidates(int count)
        => db.HardwareTokens.AsNoTracking().Where(t => t.UserId == null && !t.Disabled && t.LastStep == null).OrderBy(t => t.Serial).Take(count);
}
