namespace Idp.Admin.Api;

/// <summary>The body of POST /api/admin/tokens/import: the file, Base64, and how to open it.</summary>
/// <param name="Format">"pskc" or "oath-csv"; recognised from the content when null.</param>
/// <param name="PreSharedKey">Hex: the PSKC pre-shared key (RFC 6030 §6.1) its secrets are encrypted under.</param>
/// <param name="Password">The PSKC password (RFC 6030 §6.2) its key is derived from.</param>
internal sealed record TokenImportRequest(string? Content, string? Format, string? PreSharedKey, string? Password, bool SkipExisting, bool IgnoreMacMismatch);

/// <summary>The body of a token action: assign (<see cref="User"/>), resync (the two codes), or any with a reason.</summary>
internal sealed record TokenActionRequest(string? User, string? Code1, string? Code2, string? Reason);

/// <summary>
/// The body of POST /api/admin/tokens/export: which tokens. Never their secrets: an API credential must not be able to
/// clone every token; secrets leave only through <c>Idp tokens export --psk-file</c>, on the server.
/// </summary>
/// <param name="PreSharedKey">Refused when given, so that a caller expecting secrets is told rather than misled.</param>
internal sealed record TokenExportRequest(string? Serial, string? User, string? PreSharedKey);
