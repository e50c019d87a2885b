namespace Idp.Oidc.Protocol;

/// <summary>
/// <c>Idp:Acr</c>: the <c>acr</c> value for each authentication level (OIDC Core §2), as a deployment names them
/// (LemonLDAP::NG maps its levels to acr values the same way). Level 1: the password; level 2: password and a one-time
/// code. Published in discovery as acr_values_supported; a client's MinimumAcr and a request's acr_values use them.
/// </summary>
public sealed class AcrSettings
{
    public string Password { get; set; } = AcrValues.Password;

    public string SecondFactor { get; set; } = AcrValues.SecondFactor;

    public IReadOnlyList<string> Supported() => [Password, SecondFactor];

    public string For(bool secondFactor) => secondFactor ? SecondFactor : Password;
}
