namespace Idp.Validation;

/// <summary>
/// One check, whichever channel it came by (the HTTP API or RADIUS): who, what they typed, the transaction it
/// continues (RADIUS State), and the asking client's name and policy.
/// </summary>
internal sealed record ValidationRequest(string? User, string? Realm, string? Pass, string? TransactionId, string Channel, string ClientName, PassPolicy Policy, bool Passthru, bool PassthruAssign = false);
