using Microsoft.AspNetCore.Http;

namespace Idp.SecondFactors;

// The whole contract between the core and a kind of second factor, in one file on purpose: a new kind (recovery
// codes, e-mail codes, passkeys) implements ISecondFactorMethod, may bring its own enrollment page built on
// IEnrollmentFlow, and is registered; the core needs no change.
// The core owns everything around a check: who must use a factor, the pending sign-in and its purpose, the attempt
// budget and lock (every response goes through one guarded path before a factor verifies it), the audit trail,
// sign-in completion (a new session; amr = what was proven + the factor's Amr + "mfa", RFC 8176).

/// <summary>One kind of second factor (TOTP/HOTP is the first).</summary>
public interface ISecondFactorMethod
{
    SecondFactorDescriptor Descriptor { get; }

    /// <summary>
    /// The code page is about to ask this user for a response of this kind: send what must be sent (an e-mail code,
    /// a push), or nothing (TOTP). Called on every showing of the page; a kind that sends limits itself.
    /// </summary>
    Task StartChallengeAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The user's credentials of this kind, usable or not; never a secret.</summary>
    Task<IReadOnlyList<SecondFactorCredential>> CredentialsAsync(string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Checks one response against the user's credentials that <paramref name="eligible"/> admits (and only
    /// <paramref name="credentialId"/> when given), consuming it atomically when accepted, so that the same response
    /// never passes twice, on any node. Called only with an attempt already reserved by the core.
    /// </summary>
    Task<SecondFactorVerification> VerifyAsync(string userId, string? response, string? credentialId, Func<SecondFactorCredential, bool> eligible, CancellationToken cancellationToken);

    /// <summary>Renames one of the user's credentials of this kind: null when done, else why not (shown to the person).</summary>
    Task<string?> RenameAsync(string userId, string credentialId, string? name, CancellationToken cancellationToken);

    /// <summary>
    /// Removes one of the user's credentials of this kind when <paramref name="allowed"/>, given the credentials of this
    /// kind that would remain, says so; the check and the removal are one atomic step.
    /// </summary>
    Task<CredentialRemoval> RemoveAsync(string userId, string credentialId, Func<IReadOnlyList<SecondFactorCredential>, bool> allowed, CancellationToken cancellationToken);
}

public enum CredentialRemovalOutcome
{
    Removed,
    NotFound,

    /// <summary>The core's rule refused it (a user's last credential where a second factor is always required).</summary>
    Refused,

    /// <summary>Other changes kept winning the race; nothing was removed.</summary>
    Contended,

    /// <summary>The credential is managed elsewhere (a hardware token of the pool): it is unassigned there, not removed here.</summary>
    Managed,
}

/// <param name="Name">The removed credential's name, for the audit trail and the notice.</param>
public sealed record CredentialRemoval(CredentialRemovalOutcome Outcome, string? Name = null);

/// <summary>What the core shows and asserts of a kind of factor.</summary>
/// <param name="Kind">A short stable name ("totp"), used in audit details and credential records.</param>
/// <param name="Label">Shown to people on choice screens (Otp:Label for TOTP).</param>
/// <param name="Logo">A file in the theme folder, or null (Otp:Logo for TOTP).</param>
/// <param name="Amr">RFC 8176 values a passed check proves ("otp", "hwk", "swk", ...); the core adds "mfa".</param>
/// <param name="EnrollPage">Where a credential of this kind is registered, or null when it cannot be self-registered.</param>
/// <param name="ManagePage">The kind's own page under /2fregisters (actions only it knows), or null.</param>
/// <param name="Level">The level a passed check grants: 2 is a second factor (amr "mfa", the Idp:Acr:SecondFactor acr);
/// 1 proves something without raising the session above the password.</param>
public sealed record SecondFactorDescriptor(string Kind, string Label, string? Logo, IReadOnlyList<string> Amr, string? EnrollPage, string? ManagePage = null, int Level = 2);

/// <param name="ExpiresAt">When it stops being accepted for sign-in (a device lifetime), or null.</param>
/// <param name="Variant">What administrators are shown as its type ("TOTP", "HOTP"), or null for the kind's label.</param>
public sealed record SecondFactorCredential(string Id, string Kind, string Name, DateTimeOffset RegisteredAt, DateTimeOffset? LastUsedAt, DateTimeOffset? ExpiresAt, string? Variant = null)
{
    /// <summary>Disabled by an administrator: it counts as registered (no enrollment in its place) and never signs in.</summary>
    public bool Disabled { get; init; }

    /// <summary>How many characters its responses have, when fixed (a one-time code's digits): where a response
    /// follows a password in one field (a VPN's password‖code), this is where the two are split.</summary>
    public int? ResponseLength { get; init; }

    public bool IsUsable(DateTimeOffset now) => !Disabled && (ExpiresAt is not { } expiry || expiry > now);
}

public enum SecondFactorVerdict
{
    Accepted,

    /// <summary>Malformed, wrong, or for no eligible credential: the core counts it as a wrong attempt.</summary>
    Rejected,

    /// <summary>Right but already used (RFC 6238 §5.2); counted as a wrong attempt.</summary>
    Replayed,
}

/// <param name="CredentialId">The credential that answered (accepted or replayed).</param>
public sealed record SecondFactorVerification(SecondFactorVerdict Verdict, string? CredentialId = null);

/// <summary>A user's second-factor document (LemonLDAP::NG's <c>_2fDevices</c> JSON array) and its version, read together.</summary>
/// <param name="Json">The array, or null when the user has none yet.</param>
public sealed record StoredDocument(string? Json, long Version)
{
    public static StoredDocument None { get; } = new(null, 0);
}

/// <summary>
/// Where the core keeps each user's second-factor document, for the factors that store their credentials in it.
/// <see cref="TryReplaceAsync"/> is one atomic compare-and-set on the version, so that the same code sent to two
/// nodes at once is accepted by exactly one of them (RFC 6238 §5.2).
/// </summary>
public interface ISecondFactorDocumentStore
{
    Task<StoredDocument> LoadAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Writes the document if the stored version is still <paramref name="expectedVersion"/> (0: none yet). False when another writer came first.</summary>
    Task<bool> TryReplaceAsync(string userId, string json, long expectedVersion, CancellationToken cancellationToken);

    /// <summary>
    /// The write that records an accepted response (the step or counter it used up), from <see cref="ISecondFactorMethod.VerifyAsync"/>
    /// only: a compare-and-set as <see cref="TryReplaceAsync"/>, in which the core may also settle the attempt it reserved
    /// for this check, so that the acceptance and the attempt given back are one atomic write.
    /// </summary>
    Task<bool> TryConsumeAsync(string userId, string json, long expectedVersion, CancellationToken cancellationToken)
        => TryReplaceAsync(userId, json, expectedVersion, cancellationToken);
}

/// <summary>
/// Keys an administrator gives or takes, for the kinds that have keys: LemonLDAP::NG's
/// <c>POST /api/v1/secondFactor/{uid}/type/{type}</c> and its <c>_2fDevices</c> export.
/// </summary>
public interface ISecondFactorKeys
{
    /// <summary>The LemonLDAP::NG type name this kind takes keys for ("TOTP").</summary>
    string Type { get; }

    /// <summary>Adds a credential from a key; its id, or why not.</summary>
    Task<KeyAddition> AddAsync(string userId, string? name, string? key, CancellationToken cancellationToken);

    /// <summary>The user's whole <c>_2fDevices</c> document as JSON; this kind's keys are readable only when asked (else left out).</summary>
    Task<(string? Json, string? Error)> ExportAsync(string userId, bool includeSecrets, CancellationToken cancellationToken);

    /// <summary>Imports <c>_2fDevices</c> records into the user's document, all or none; <paramref name="sourceKey"/> reads keys encrypted by the source system.</summary>
    Task<(int Imported, string? Problem)> ImportAsync(string userId, string json, string? sourceKey, CancellationToken cancellationToken);

    /// <summary>Re-encrypts this kind's stored keys of the user under the current master key (after a key change); how many.</summary>
    Task<(int Reencrypted, string? Problem)> ReencryptAsync(string userId, CancellationToken cancellationToken);

    /// <summary>This kind's keys in a stored <c>_2fDevices</c> document, as stored (encrypted): a restore checks it can read them.</summary>
    IEnumerable<string> StoredKeysIn(string documentJson);
}

/// <param name="Conflict">The key is fine but the user cannot take another credential (a limit).</param>
public sealed record KeyAddition(string? CredentialId, string? Problem, bool Conflict = false);

/// <summary>
/// The core's encryption of small secrets under the master key, which never lives in the database (AES-256-GCM,
/// purpose and key id bound to each ciphertext); factors keep their keys encrypted with it.
/// </summary>
public interface ISecretProtector
{
    /// <summary>The id of the key new ciphertexts are made with.</summary>
    string CurrentKeyId { get; }

    string Protect(ReadOnlySpan<byte> plaintext, string purpose);

    /// <summary>False for anything not made by <see cref="Protect"/> with this purpose under a key the ring has.</summary>
    bool TryUnprotect(string? protectedValue, string purpose, out byte[] plaintext);

    /// <summary>The id of the key a ciphertext was made with, or null when it is not one.</summary>
    string? KeyIdOf(string? protectedValue);

    /// <summary>Whether a value is in this protector's format at all (an Idp installation's ciphertext), readable here or not.</summary>
    bool IsProtected(string? value);
}

/// <summary>Names the core and the factors' pages share.</summary>
public static class SecondFactorConventions
{
    /// <summary>The rate limit every page that takes a guess uses (per client address; only posts count).</summary>
    public const string GuessingRateLimit = "sign-in";
}

/// <summary>Why an enrollment page is open; set by the core, never by a request.</summary>
public enum EnrollmentPurpose
{
    /// <summary>The user has no usable credential and one is required (after the password, or a proven expired one).</summary>
    FirstCredential,

    /// <summary>Another credential, from a signed-in session after a fresh response.</summary>
    AnotherCredential,

    /// <summary>A new key for <see cref="PendingEnrollment.ReplacesCredentialId"/>, after a fresh response.</summary>
    NewKey,
}

/// <summary>A pending enrollment as a factor's page sees it.</summary>
/// <param name="State">What the factor kept with it (<see cref="IEnrollmentFlow.KeepStateAsync"/>), or null.</param>
public sealed record PendingEnrollment(string Handle, string UserId, string UserName, EnrollmentPurpose Purpose, string? State, string? ReplacesCredentialId);

/// <summary>What an enrollment page does next: go to <paramref name="Redirect"/> (after putting <paramref name="StartOver"/> where the sign-in page shows it), or show <paramref name="Error"/>.</summary>
public sealed record EnrollmentStep(string? Redirect, string? Error, string? StartOver = null)
{
    public static EnrollmentStep Retry(string error) => new(null, error);
}

/// <summary>What the core offers to a factor's enrollment page: the pending step, the one guarded check, completion.</summary>
public interface IEnrollmentFlow
{
    /// <summary>The enrollment this browser may continue, or where to send it instead (the code page, or the sign-in start).</summary>
    Task<(PendingEnrollment? Pending, string? Redirect)> OpenAsync(HttpContext context, CancellationToken cancellationToken);

    /// <summary>Keeps the factor's state (an encrypted seed) with the pending enrollment, once: a second tab gets the first one's.</summary>
    Task<string> KeepStateAsync(PendingEnrollment pending, string state, CancellationToken cancellationToken);

    /// <summary>
    /// The first response of the new credential, through the one guarded path (lock, attempts reserved before
    /// <paramref name="verify"/> runs, audit): null when accepted, else the step to take (a retry, or start over).
    /// </summary>
    Task<EnrollmentStep?> CheckAsync(HttpContext context, PendingEnrollment pending, string retryMessage, Func<CancellationToken, Task<SecondFactorVerdict>> verify, CancellationToken cancellationToken);

    /// <summary>Whether the user has a usable credential of any kind (a first enrollment is refused then).</summary>
    Task<bool> HasUsableCredentialAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Writes one audit event about the user's credential (the core also tells the user by e-mail).</summary>
    Task AuditAsync(string type, string userId, string details, CancellationToken cancellationToken);

    /// <summary>
    /// After the factor saved the credential: a first one signs in (amr: <paramref name="amr"/> and mfa); another one
    /// returns to where it was asked for; a new key also ends the user's other sessions.
    /// </summary>
    Task<EnrollmentStep> CompleteAsync(HttpContext context, PendingEnrollment pending, IReadOnlyList<string> amr, CancellationToken cancellationToken);

    /// <summary>Ends the pending enrollment; the person starts over with <paramref name="message"/>.</summary>
    Task<EnrollmentStep> StartOverAsync(HttpContext context, PendingEnrollment pending, string message, CancellationToken cancellationToken);
}

/// <summary>What the core offers to a factor's own page under /2fregisters, for the signed-in person.</summary>
public interface ISecondFactorAccount
{
    /// <summary>The signed-in user's id, or null when the request has no session.</summary>
    string? UserIdOf(HttpContext context);

    /// <summary>
    /// A fresh response before a sensitive change to <paramref name="credentialId"/>, through the one guarded path:
    /// null when accepted, else the message to show. A credential registered in this session does not vouch for another.
    /// </summary>
    Task<string?> CheckFreshResponseAsync(HttpContext context, string? credentialId, string? response, string action, string notDone, CancellationToken cancellationToken);

    /// <summary>Opens the kind's enrollment page for a new key of <paramref name="credentialId"/>; where to go.</summary>
    Task<string> BeginNewKeyAsync(HttpContext context, string credentialId, CancellationToken cancellationToken);

    /// <summary>Writes one audit event about the signed-in user's credential.</summary>
    Task AuditAsync(HttpContext context, string type, string details, CancellationToken cancellationToken);
}
