using Idp.Validation;

namespace Idp.Radius;

/// <summary>A RADIUS client as loaded: its networks parsed, its secret as octets, its pass policy read.</summary>
internal sealed record RadiusClient(string Name, ClientNetworks Networks, byte[] Secret, PassPolicy Policy, bool Passthru, bool RequireMessageAuthenticator, bool PassthruAssign = false);
