namespace Idp.Validation;

/// <summary>What the <c>pass</c> of a validation request (or RADIUS's User-Password) holds, per client.</summary>
internal enum PassPolicy
{
    /// <summary>The password followed by the code, in one field: what a VPN client sends (LinOTP's and privacyIDEA's default).</summary>
    UserStore,

    /// <summary>The code alone: the client checked the password itself.</summary>
    None,

    /// <summary>The password alone answers a challenge; the code then comes with the transaction id (or RADIUS State).</summary>
    Challenge,
}
