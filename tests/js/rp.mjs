// A relying party written with openid-client (a certified OpenID Connect client library), driven by the .NET
// tests in two steps around the browser part:
//   node rp.mjs start  STATEFILE ISSUER CLIENT_ID CLIENT_SECRET REDIRECT_URI POST_LOGOUT_URI  -> prints the authorization URL
//   node rp.mjs finish STATEFILE CALLBACK_URL                                                -> prints a JSON summary
// finish redeems the code (PKCE, state, nonce and RFC 9207 iss checked by the library), fetches userinfo, refreshes
// the tokens, and builds the end-session URL.
import { readFileSync, writeFileSync } from 'node:fs';
import * as client from 'openid-client';

const [step, stateFile, ...rest] = process.argv.slice(2);

async function configure(saved) {
  // http is allowed only because the test server listens on loopback.
  return client.discovery(new URL(saved.issuer), saved.clientId, saved.clientSecret, undefined, { execute: [client.allowInsecureRequests] });
}

if (step === 'start') {
  const [issuer, clientId, clientSecret, redirectUri, postLogoutUri] = rest;
  const saved = { issuer, clientId, clientSecret, redirectUri, postLogoutUri };
  const config = await configure(saved);
  saved.verifier = client.randomPKCECodeVerifier();
  saved.state = client.randomState();
  saved.nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: 'openid profile email offline_access',
    code_challenge: await client.calculatePKCECodeChallenge(saved.verifier),
    code_challenge_method: 'S256',
    state: saved.state,
    nonce: saved.nonce,
  });
  writeFileSync(stateFile, JSON.stringify(saved));
  process.stdout.write(url.href);
} else if (step === 'finish') {
  const saved = JSON.parse(readFileSync(stateFile, 'utf8'));
  const config = await configure(saved);
  const tokens = await client.authorizationCodeGrant(config, new URL(rest[0]), {
    pkceCodeVerifier: saved.verifier,
    expectedState: saved.state,
    expectedNonce: saved.nonce,
    idTokenExpected: true,
  });
  const claims = tokens.claims();
  const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
  const endSession = client.buildEndSessionUrl(config, { id_token_hint: refreshed.id_token, post_logout_redirect_uri: saved.postLogoutUri, state: 'rp-bye' });
  process.stdout.write(JSON.stringify({
    sub: claims.sub,
    amr: claims.amr,
    userinfoSub: userinfo.sub,
    email: userinfo.email,
    refreshedSub: refreshed.claims().sub,
    refreshRotated: refreshed.refresh_token !== tokens.refresh_token,
    endSessionUrl: endSession.href,
  }));
} else {
  console.error('usage: node rp.mjs start|finish ...');
  process.exit(2);
}
