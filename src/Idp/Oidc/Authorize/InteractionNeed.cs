namespace Idp.Oidc.Authorize;

/// <summary>What stands between a valid request and a code.</summary>
internal enum InteractionNeed
{
    None,
    Login,
    Consent,

    /// <summary>The client needs the second factor and the session has only a password (step-up).</summary>
    SecondFactor,

    /// <summary>The person signed in afresh for this request but is not the one id_token_hint names.</summary>
    WrongAccount,
}
