namespace Idp.Validation;

/// <summary>A validation client as loaded: its networks parsed and its policy read.</summary>
internal sealed record ValidationClient(string Name, ClientNetworks Networks, string? Secret, PassPolicy Policy, bool Passthru, bool PassthruAssign = false)
{
    public static PassPolicy? ParsePolicy(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "userstore" => PassPolicy.UserStore,
        "none" => PassPolicy.None,
        "challenge" => PassPolicy.Challenge,
        _ => null,
    };
}
