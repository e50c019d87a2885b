using Idp.Admin;
using Idp.Hosting;
using Idp.Otp.Tokens;
using Idp.Persistence.Entities;
using Idp.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Idp.Pages.Admin;

/// <summary>
/// /admin/tokens: the hardware token pool, searched by serial or holder and filtered by state, and the upload of a
/// PSKC (RFC 6030) or OATH CSV file into it, all or nothing. The file may be up to 10 MB: the one form whose body
/// may pass Idp:Limits:MaxBodyBytes (<see cref="Hosting.RequestLimits"/>).
/// </summary>
[AdministratorsOnly]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBodyBytes, ValueLengthLimit = 4096)]
[RequestSizeLimit(MaxUploadBodyBytes)]
public sealed class TokensModel(TokenCatalog catalog, TokenImporter importer, UserManager<IdpUser> users, IOptions<IdpOptions> options) : AdminPageModel(users, options)
{
    public const string Path = "/admin/tokens";

    public const int MaxUploadBodyBytes = TokenFileLimits.MaxBytes + 64 * 1024;

    public const int PageSize = 50;

    public string Query { get; private set; } = string.Empty;

    public TokenStateFilter State { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public TokenPage Listed { get; private set; } = new([], 0);

    public string? ErrorMessage { get; private set; }

    [TempData]
    public string? Status { get; set; }

    public bool More => PageNumber * PageSize < Listed.Total;

    public async Task OnGetAsync(string? q, string? state, int pageNumber, CancellationToken cancellationToken)
        => await ListAsync(q, state, pageNumber, cancellationToken);

    /// <summary>The upload: read only after the gate (<see cref="AdminPageModel"/>) let an administrator through.</summary>
    public async Task<IActionResult> OnPostImportAsync(string? format, string? preSharedKey, string? password, bool skipExisting, CancellationToken cancellationToken)
    {
        var file = Request.Form.Files.GetFile("File");
        var problem = file is null || file.Length == 0 ? "Choose a token file to upload." : null;
        TokenFileFormat? chosen = null;
        if (problem is null && !string.IsNullOrEmpty(format) && format != "auto")
        {
            problem = TokenFiles.TryParseFormat(format, out var parsed) ? null : "The format must be PSKC or OATH CSV.";
            chosen = parsed;
        }

        byte[]? key = null;
        if (problem is null && !string.IsNullOrWhiteSpace(preSharedKey))
        {
            var hex = preSharedKey.Trim();
            problem = hex.Length is 32 or 48 or 64 && hex.All(char.IsAsciiHexDigit) ? null : "The pre-shared key must be 32, 48 or 64 hex digits.";
            key = problem is null ? Convert.FromHexString(hex) : null;
        }

        if (problem is null)
        {
            try
            {
                await using var stream = file!.OpenReadStream();
                var seeds = TokenFiles.Read(await TokenFiles.ReadBoundedAsync(stream, cancellationToken), chosen, new PskcDecryption(key, string.IsNullOrEmpty(password) ? null : password));
                var result = await importer.ImportAsync(seeds, skipExisting, $"'{System.IO.Path.GetFileName(file.FileName)}' (uploaded)", Actor, cancellationToken);
                if (result.Problem is null)
                {
                    Status = $"Imported {result.Imported} token(s), assigned {result.Assigned}, skipped {result.Skipped} already in the pool.";
                    return Redirect(Path);
                }

                problem = $"Nothing imported: {result.Problem}";
                Response.StatusCode = result.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
            }
            catch (TokenFileException e)
            {
                problem = $"Nothing imported: {e.Message}";
            }
        }

        ErrorMessage = problem;
        Response.StatusCode = Response.StatusCode == StatusCodes.Status409Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest;
        await ListAsync(null, null, 1, cancellationToken);
        return Page();
    }

    public string PageLink(int page)
        => $"{Path}?q={Uri.EscapeDataString(Query)}&state={State.ToString().ToLowerInvariant()}&pageNumber={page}";

    private async Task ListAsync(string? q, string? state, int pageNumber, CancellationToken cancellationToken)
    {
        Query = (q ?? string.Empty).Trim();
        State = Enum.TryParse<TokenStateFilter>(state, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : TokenStateFilter.All;
        PageNumber = Math.Clamp(pageNumber, 1, 100_000);
        if (Query.Length > TokenCatalog.MaxSearchLength)
        {
            ErrorMessage = $"The search text is too long (at most {TokenCatalog.MaxSearchLength} characters).";
            return;
        }

        Listed = await catalog.ListAsync(Query, State, (PageNumber - 1) * PageSize, PageSize, cancellationToken);
    }
}
