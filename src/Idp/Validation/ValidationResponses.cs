namespace Idp.Validation;

/// <summary>
/// privacyIDEA's response shape, which its FreeRADIUS module, PAM module and credential providers read
/// (<c>result.value</c>, <c>result.authentication</c>, <c>detail.transaction_id</c>); LinOTP's clients read
/// <c>detail.transactionid</c>, so both spellings are sent.
/// </summary>
internal static class ValidationResponses
{
    public static Dictionary<string, object?> Body(ValidationAnswer answer)
    {
        var detail = new Dictionary<string, object?> { ["message"] = answer.Message };
        if (answer.TransactionId is { } id)
        {
            detail["transaction_id"] = id;
            detail["transactionid"] = id;
            detail["transaction_ids"] = new[] { id };
            detail["multi_challenge"] = new[] { new Dictionary<string, object?> { ["transaction_id"] = id, ["message"] = answer.Message, ["type"] = "totp" } };
        }

        return new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["version"] = "Idp",
            ["result"] = new Dictionary<string, object?>
            {
                ["status"] = true,
                ["value"] = answer.Authentication == ValidationAuthentication.Accept,
                ["authentication"] = answer.Authentication.ToString().ToUpperInvariant(),
            },
            ["detail"] = detail,
        };
    }

    /// <summary>A request that could not be read at all: <c>result.status</c> false with an error, as privacyIDEA answers.</summary>
    public static IResult Error(int status, string message)
        => Results.Json(new Dictionary<string, object?>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["version"] = "Idp",
            ["result"] = new Dictionary<string, object?> { ["status"] = false, ["error"] = new Dictionary<string, object?> { ["code"] = status, ["message"] = message } },
        }, statusCode: status);
}
