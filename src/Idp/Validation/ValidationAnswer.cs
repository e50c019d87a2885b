namespace Idp.Validation;

/// <summary>The answer to a <see cref="ValidationRequest"/>: accept, reject, or a challenge with its transaction id and prompt.</summary>
internal sealed record ValidationAnswer(ValidationAuthentication Authentication, string Message, string? TransactionId = null)
{
    public const string CodePrompt = "Enter the code from your authenticator";

    public static ValidationAnswer Accept(string message = "matching 1 tokens") => new(ValidationAuthentication.Accept, message);

    public static ValidationAnswer Reject(string message) => new(ValidationAuthentication.Reject, message);

    public static ValidationAnswer Challenge(string transactionId) => new(ValidationAuthentication.Challenge, CodePrompt, transactionId);
}
