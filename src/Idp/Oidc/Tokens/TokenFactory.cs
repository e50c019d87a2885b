using System.Buffers.Text;
using System.Security.Cryptography;
using Idp.Hosting;
using Idp.Oidc.Clients;
using Idp.Oidc.Keys;
using Idp.Oidc.Protocol;
using Idp.Persistence.Entities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Idp.Oidc.Tokens;

/// <summary>Signs ID tokens (OIDC Core §2) and JWT access tokens (RFC 9068).</summary>
public sealed class TokenFactory(SigningKeyService keys, Secrets.SessionIdentifiers sessionIds, IOptions<IdpOptions> options, TimeProvider time)
{
    public const string AccessTokenType = "at+jwt";
    public const string GrantIdClaim = "grant_id";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issuer => options.Value.Issuer!.TrimEnd('/');

    public async Task<(string Token, string Jti, DateTime ExpiresAt)> CreateAccessTokenAsync(ClientOptions client, TokenSubject subject, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var expires = now + (client.AccessTokenLifetime ?? options.Value.Tokens.AccessTokenLifetime);
        var jti = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var claims = new Dictionary<string, object>
        {
            // RFC 9068 §2.2: iss, exp, aud, sub, client_id, iat, jti; scope when scopes were granted.
            ["sub"] = subject.Subject,
            ["client_id"] = client.ClientId,
            ["jti"] = jti,
            ["scope"] = subject.ScopeString,
        };
        if (subject.GrantId is not null)
        {
            claims[GrantIdClaim] = subject.GrantId;
        }

        AddAuthentication(claims, subject);
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            // The resources behind these tokens are Idp's own (userinfo, the admin API): the audience is the issuer.
            Audience = Issuer,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            TokenType = AccessTokenType,
            Claims = claims,
            SigningCredentials = (await keys.CurrentAsync(AlgorithmFor(client), cancellationToken)).Credentials,
        });
        return (token, jti, expires);
    }

    public async Task<string> CreateIdTokenAsync(ClientOptions client, TokenSubject subject, TokenUser user, string? nonce, string? accessToken, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object> { ["sub"] = subject.Subject };
        AddAuthentication(claims, subject);
        if (nonce is not null)
        {
            // OIDC Core §3.1.3.6: the nonce of the authentication request, unmodified.
            claims["nonce"] = nonce;
        }

        if (accessToken is not null)
        {
            claims["at_hash"] = TokenHandles.LeftHalfHash(accessToken);
        }

        foreach (var (name, value) in UserClaims.For(user, subject.Scopes))
        {
            claims[name] = value;
        }

        var signing = await keys.CurrentAsync(AlgorithmFor(client), cancellationToken);
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = client.ClientId,
            IssuedAt = now,
            Expires = now + (client.IdTokenLifetime ?? options.Value.Tokens.IdTokenLifetime),
            TokenType = "JWT",
            Claims = claims,
            SigningCredentials = signing.Credentials,
        });
    }

    public string AlgorithmFor(ClientOptions client) => string.IsNullOrEmpty(client.SigningAlgorithm) ? options.Value.Tokens.SigningAlgorithm : client.SigningAlgorithm;

    private void AddAuthentication(Dictionary<string, object> claims, TokenSubject subject)
    {
        if (subject.UserId is null)
        {
            return;
        }

        if (subject.AuthTime is { } authTime)
        {
            claims["auth_time"] = new DateTimeOffset(authTime, TimeSpan.Zero).ToUnixTimeSeconds();
        }

        if (subject.Acr is not null)
        {
            claims["acr"] = subject.Acr;
        }

        if (subject.Amr.Count > 0)
        {
            claims["amr"] = subject.Amr.ToArray();
        }

        if (subject.SessionId is not null)
        {
            claims["sid"] = sessionIds.Public(subject.SessionId);
        }
    }
}
