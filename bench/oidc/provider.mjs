// node oidc-provider (a certified OpenID Provider) configured like Idp for the side-by-side benchmark:
// RS256, JWT access tokens, refresh tokens rotated on every use, client_secret_basic.
//   node provider.mjs PORT TOKENS_FILE COUNT [POSTGRES_URL]
// Storage in memory, or in PostgreSQL when POSTGRES_URL is given (as Idp keeps its state).
// Writes TOKENS_FILE as JSON: { refreshTokens: [...COUNT], accessToken } once it listens.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Provider from 'oidc-provider';
import { MemoryAdapter, memoryAccounts } from './memory-adapter.mjs';
import { postgresStorage } from './postgres-adapter.mjs';

const [port, tokensFile, count, postgresUrl] = process.argv.slice(2);
const { Adapter, accounts } = postgresUrl ? postgresStorage(postgresUrl) : { Adapter: MemoryAdapter, accounts: memoryAccounts };
await accounts.prepare();
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'bench-rs256', alg: 'RS256', use: 'sig' };
const resource = 'urn:idp-bench:api';

const provider = new Provider(`http://127.0.0.1:${port}`, {
  adapter: Adapter,
  clients: [{
    client_id: 'bench',
    client_secret: 'bench-secret-0123456789',
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    redirect_uris: ['http://127.0.0.1/cb'],
    response_types: ['code'],
    scope: 'openid profile email offline_access api:read',
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  scopes: ['openid', 'profile', 'email', 'offline_access', 'api:read'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: 'api:read', accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }),
    },
  },
  findAccount: async (ctx, id) => {
    const account = await accounts.find(id);
    return account && { accountId: id, claims: () => ({ sub: id, email: account.email }) };
  },
  rotateRefreshToken: () => true,
  ttl: { AccessToken: 900, ClientCredentials: 900, IdToken: 300, RefreshToken: 30 * 24 * 3600, Grant: 30 * 24 * 3600 },
});
provider.proxy = false;

const server = provider.listen(Number(port), '127.0.0.1', async () => {
  const client = await provider.Client.find('bench');
  const grant = new provider.Grant({ accountId: 'alice', clientId: 'bench' });
  grant.addOIDCScope('openid profile email offline_access');
  grant.addResourceScope(resource, 'api:read');
  const grantId = await grant.save();
  const now = Math.floor(Date.now() / 1000);
  const refreshTokens = [];
  for (let i = 0; i < Number(count); i += 64) {
    const batch = Array.from({ length: Math.min(64, Number(count) - i) }, () =>
      new provider.RefreshToken({ client, accountId: 'alice', grantId, gty: 'authorization_code', scope: 'openid profile email offline_access', resource, authTime: now, iiat: now }).save());
    refreshTokens.push(...await Promise.all(batch));
  }
  const accessToken = await new provider.AccessToken({ client, accountId: 'alice', grantId, gty: 'authorization_code', scope: 'openid email' }).save();
  writeFileSync(tokensFile, JSON.stringify({ refreshTokens, accessToken }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
