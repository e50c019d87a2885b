using Idp.Accounts;
using Idp.Accounts.SecondFactor;
using Idp.Audit;
using Idp.Otp.Options;
using Idp.Persistence.Entities;
using Idp.UserStores;
using Microsoft.Extensions.Options;

namespace Idp.Validation;

/// <summary>
/// Password and second factor checked for systems that are not browsers: the validation API and RADIUS. The password
/// goes through <see cref="PasswordCheck"/> (the sign-in page's lockout), every code through
/// <see cref="SecondFactorAttempts"/> (lock, an attempt reserved before verifying, audit) against the same devices,
/// so a code accepted here is spent for the browser too, and the reverse. No enrollment happens here: a user without
/// a usable device is refused, unless the client's Passthru lets the password alone through (audited).
/// </summary>
internal sealed class SecondFactorValidation(
    PasswordCheck passwords,
    AccountResolver accounts,
    UserStoreCatalog stores,
    SecondFactorPolicy policy,
    SecondFactorAttempts attempts,
    SecondFactorMethods methods,
    ValidationTransactions transactions,
    Tokens.PoolAssignment poolAssignment,
    Tokens.TokenPool tokenPool,
    AuditLog audit,
    IOptions<Hosting.IdpOptions> options,
    IOptionsMonitor<OtpOptions> otp,
    TimeProvider time)
{
    public const string Refused = "wrong otp pin or otp value";

    public async Task<ValidationAnswer> CheckAsync(ValidationRequest request, CancellationToken cancellationToken)
    {
        var via = $"{request.Channel}, client {request.ClientName}";
        var (answer, userId) = await DecideAsync(request, via, cancellationToken);
        var type = answer.Authentication switch
        {
            ValidationAuthentication.Accept => AuditEventTypes.ValidationAccepted,
            ValidationAuthentication.Challenge => AuditEventTypes.ValidationChallenged,
            _ => AuditEventTypes.ValidationRejected,
        };
        await audit.WriteAsync(type, userId is null ? $"{request.Channel}:{request.ClientName}" : $"user:{userId}", userId, details: $"{via}: {answer.Message}", cancellationToken: cancellationToken);
        return answer;
    }

    private async Task<(ValidationAnswer Answer, string? UserId)> DecideAsync(ValidationRequest request, string via, CancellationToken cancellationToken)
    {
        var settings = options.Value.Validation;
        if (string.IsNullOrEmpty(request.Pass) || request.Pass.Length > settings.MaxPassLength)
        {
            return (ValidationAnswer.Reject(string.IsNullOrEmpty(request.Pass) ? "pass is empty" : "pass is too long"), null);
        }

        var (login, realm) = SplitRealm(request.User, request.Realm, settings.SplitAtSign);
        if (realm is not null && !settings.Realms.Contains(realm, StringComparer.OrdinalIgnoreCase) && !stores.IsRealm(realm))
        {
            return (ValidationAnswer.Reject("unknown realm"), null);
        }

        // A realm of Idp:Realms chooses the stores asked. Otherwise (a name listed only in Idp:Validation:Realms, or none)
        // the login's own @realm or the default realm does.
        var storeRealm = realm is not null && stores.IsRealm(realm) ? realm : null;

        var client = $"{request.Channel}:{request.ClientName}";
        if (request.TransactionId is not null)
        {
            // The second leg: the code alone, for the user the first leg proved the password of.
            var transactionUser = await transactions.TakeAsync(request.TransactionId, client, cancellationToken);
            if (transactionUser is null)
            {
                return (ValidationAnswer.Reject("unknown or expired transaction"), null);
            }

            var named = login is null ? null : await FindAsync(login, storeRealm, cancellationToken);
            if (login is not null && named?.Id != transactionUser)
            {
                return (ValidationAnswer.Reject("the transaction belongs to another user"), transactionUser);
            }

            return (await CodeAsync(transactionUser, request.Pass, via, cancellationToken), transactionUser);
        }

        if (login is null)
        {
            return (ValidationAnswer.Reject("user is missing"), null);
        }

        switch (request.Policy)
        {
            case PassPolicy.None:
            {
                // The client checked the password; the account must still be one that may sign in.
                var user = await FindAsync(login, storeRealm, cancellationToken);
                if (user is null || UserLockout.IsLockedOut(user, time.GetUtcNow()))
                {
                    return (ValidationAnswer.Reject(Refused), user?.Id);
                }

                return (await CodeAsync(user.Id, request.Pass, via, cancellationToken), user.Id);
            }

            case PassPolicy.Challenge:
            {
                var (user, _) = await passwords.CheckAsync(login, request.Pass, via, cancellationToken, storeRealm);
                if (user is null)
                {
                    return (ValidationAnswer.Reject(Refused), null);
                }

                if (await NoDeviceAsync(user, request, via, cancellationToken) is { } noDevice)
                {
                    return (noDevice, user.Id);
                }

                return (ValidationAnswer.Challenge(await transactions.OpenAsync(user.Id, client, cancellationToken)), user.Id);
            }

            default:
            {
                // password‖code: the code is as long as the user's devices' codes (a hardware token may have 8 digits),
                // Otp:Digits when they differ or the login names nobody. A user without a usable device (with
                // Passthru) sends the password alone.
                var resolution = await accounts.ResolveAsync(login, storeRealm, cancellationToken);
                var known = resolution.User;
                var passthru = request.Passthru && known is not null && !await policy.HasUsableOrDisabledAsync(known.Id, cancellationToken);
                var fromPool = request.PassthruAssign && known is not null && !await policy.HasAnyAsync(known.Id, cancellationToken);
                var digits = known is null ? otp.CurrentValue.Digits
                    : fromPool ? await poolAssignment.CodeLengthAsync(options.Value.Validation.PassthruAssignCandidates, cancellationToken) ?? otp.CurrentValue.Digits
                    : await CodeLengthAsync(known.Id, cancellationToken);
                if (!passthru && request.Pass.Length <= digits)
                {
                    return (ValidationAnswer.Reject(Refused), known?.Id);
                }

                var password = passthru ? request.Pass : request.Pass[..^digits];
                var (user, _) = await passwords.CheckAsync(login, password, via, cancellationToken, storeRealm, resolution);
                if (user is null)
                {
                    return (ValidationAnswer.Reject(Refused), null);
                }

                // "No second factor at all" was decided before the hash: asked again, so a device saved meanwhile counts
                // (as it does for Passthru, in NoDeviceAsync).
                if (fromPool && user.Id == known!.Id && !await policy.HasAnyAsync(user.Id, cancellationToken))
                {
                    return (await AssignFromPoolAsync(user, request, request.Pass[^digits..], via, cancellationToken), user.Id);
                }

                if (await NoDeviceAsync(user, request, via, cancellationToken) is { } noDevice)
                {
                    return (noDevice, user.Id);
                }

                return (await CodeAsync(user.Id, request.Pass[^digits..], via, cancellationToken), user.Id);
            }
        }
    }

    /// <summary>The one length the codes of every usable (or disabled) device have, else Otp:Digits.</summary>
    private async Task<int> CodeLengthAsync(string userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var lengths = (await methods.CredentialsAsync(userId, cancellationToken)).Where(c => c.Disabled || c.IsUsable(now)).Select(c => c.ResponseLength).Distinct().ToList();
        return lengths is [{ } only] ? only : otp.CurrentValue.Digits;
    }

    /// <summary>The account behind a login without checking a password; null when unknown or its store cannot answer.</summary>
    private async Task<IdpUser?> FindAsync(string login, string? realm, CancellationToken cancellationToken)
        => (await accounts.ResolveAsync(login, realm, cancellationToken)).User;

    /// <summary>After a right password: refused without a usable device, or let through by Passthru. Null: go on to the code.</summary>
    private async Task<ValidationAnswer?> NoDeviceAsync(IdpUser user, ValidationRequest request, string via, CancellationToken cancellationToken)
    {
        if ((await policy.UsableCredentialsAsync(user.Id, cancellationToken)).Count > 0)
        {
            return null;
        }

        if (await policy.HasUsableOrDisabledAsync(user.Id, cancellationToken))
        {
            // Only disabled devices: "not with this" is never "with the password alone", whatever Passthru says.
            return ValidationAnswer.Reject("the user's second factor is disabled");
        }

        if (request.Passthru)
        {
            await audit.WriteAsync(AuditEventTypes.ValidationPassthru, $"user:{user.Id}", user.Id, details: $"{via}: password alone, no usable second factor", cancellationToken: cancellationToken);
            return ValidationAnswer.Accept("the user has no second factor; passthru");
        }

        return ValidationAnswer.Reject("the user has no usable second factor; enroll one in the browser");
    }

    private async Task<ValidationAnswer> CodeAsync(string userId, string code, string via, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Answer(await attempts.CheckAsync(userId, null, "sign-in", async ct =>
        {
            var (verdict, method, credential) = await methods.VerifyAsync(userId, code, null, c => c.IsUsable(now), ct);
            return (SecondFactorMethods.Verdict(verdict), credential is null ? null : $"{method!.Descriptor.Kind} {credential}");
        }, cancellationToken, via));
    }

    /// <summary>
    /// PassthruAssign, for a user with no second factor at all and the right password: on the guarded path (lock
    /// checked, attempt reserved, audited), the pool token whose code this is becomes theirs, and the code is then
    /// verified and consumed as any other. A miss counts as a wrong code.
    /// </summary>
    private async Task<ValidationAnswer> AssignFromPoolAsync(IdpUser user, ValidationRequest request, string code, string via, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Answer(await attempts.CheckAsync(user.Id, null, "sign-in", async ct =>
        {
            if (await poolAssignment.FindAsync(code, options.Value.Validation.PassthruAssignCandidates, ct) is not { } serial)
            {
                return (CodeVerdict.Wrong, "no unassigned pool token shows this code (PassthruAssign)");
            }

            var assigned = await tokenPool.AssignAsync(serial, user, "assigned at its first use (PassthruAssign)", new Admin.AdminActor($"{request.Channel}:{request.ClientName}", null), ct, onlyIfNoDevice: true);
            if (!assigned.Succeeded)
            {
                return (CodeVerdict.Wrong, $"the pool token {serial} could not be assigned: {assigned.Message}");
            }

            var (verdict, method, credential) = await methods.VerifyAsync(user.Id, code, null, c => c.IsUsable(now), ct);
            return (SecondFactorMethods.Verdict(verdict), credential is null ? null : $"{method!.Descriptor.Kind} {credential}, assigned from the pool");
        }, cancellationToken, via));
    }

    private static ValidationAnswer Answer(CodeCheck check)
        => check.Outcome switch
        {
            CodeCheckOutcome.Accepted => ValidationAnswer.Accept(),
            CodeCheckOutcome.Locked => ValidationAnswer.Reject("the second factor is locked for a while after too many wrong codes"),
            CodeCheckOutcome.Replayed => ValidationAnswer.Reject("the code was already used"),
            _ => ValidationAnswer.Reject(Refused),
        };

    /// <summary>privacyIDEA's splitAtSign: <c>alice@corp</c> is user alice in realm corp, unless a realm was sent.</summary>
    private static (string? Login, string? Realm) SplitRealm(string? user, string? realm, bool splitAtSign)
    {
        var trimmed = string.IsNullOrWhiteSpace(user) ? null : user.Trim();
        var named = string.IsNullOrWhiteSpace(realm) ? null : realm.Trim();
        if (trimmed is null || named is not null || !splitAtSign)
        {
            return (trimmed, named);
        }

        var at = trimmed.LastIndexOf('@');
        return at > 0 && at < trimmed.Length - 1 ? (trimmed[..at], trimmed[(at + 1)..]) : (trimmed, null);
    }
}
