/**
 * Teams with a certificate credential (TEAMS_CERT_PEM_FILE / TEAMS_CERT_KEY_FILE): the SDK gets
 * AuthType.Certificate with certPemFile / certKeyFile, building the adapter neither reads the files
 * nor touches the network, and /api/messages still refuses requests without a Bot Framework token.
 * With openssl on the PATH, a real self-signed certificate (made as docs/teams.md says) shows the
 * SDK turning our configuration into a client-assertion token request.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { AuthType, MsalTokenProvider, resolveAuthType } from '@microsoft/agents-hosting';
import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authConfiguration, createTeamsAdapter } from '../../../src/surfaces/teams/adapter.js';
import { createTeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeSource } from '../slack/helpers.js';
import { messageActivity, post, quietLogger, startHandler } from './helpers.js';

const APP_ID = '00000000-0000-0000-0000-000000000001';
const TENANT = '00000000-0000-0000-0000-0000000000aa';
// files that do not exist: if anything read them at construction, it would throw
const certificate = { pemFile: join(tmpdir(), 'dlt-doctor-absent', 'cert.pem'), keyFile: join(tmpdir(), 'dlt-doctor-absent', 'key.pem') };
// issuer validation on, for the Bot Framework and our tenant's Entra issuers (adapter.ts)
const ISSUER_CHECK = { validateIssuer: true, issuers: ['https://api.botframework.com', `https://sts.windows.net/${TENANT}/`, `https://login.microsoftonline.com/${TENANT}/v2.0`] };
const certAuth = { appId: APP_ID, appPassword: null, certificate, tenantId: TENANT };

describe('authConfiguration', () => {
  it('a certificate maps to the SDK certificate fields, with no client secret', () => {
    const c = authConfiguration(certAuth);
    expect(c).toEqual({ clientId: APP_ID, tenantId: TENANT, certPemFile: certificate.pemFile, certKeyFile: certificate.keyFile, authType: AuthType.Certificate, ...ISSUER_CHECK });
    expect(resolveAuthType(c)).toBe(AuthType.Certificate);
    expect('clientSecret' in c).toBe(false);
  });

  it('a password maps to the client secret (unchanged)', () => {
    const c = authConfiguration({ appId: APP_ID, appPassword: 'fake-secret', certificate: null, tenantId: TENANT });
    expect(c).toEqual({ clientId: APP_ID, tenantId: TENANT, clientSecret: 'fake-secret', authType: AuthType.ClientSecret, ...ISSUER_CHECK });
    expect('certPemFile' in c).toBe(false);
  });
});

describe('Teams with a certificate', () => {
  const attempts: string[] = [];
  const onNoMatch = (req: { hostname?: string; host?: string; path?: string }) => void attempts.push(`${req.hostname ?? req.host ?? '?'}${req.path ?? ''}`);
  let login: nock.Scope;
  beforeEach(() => {
    attempts.length = 0;
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    nock.emitter.on('no match', onNoMatch);
    // where a token request would go; it must stay unused
    login = nock('https://login.microsoftonline.com').post(/.*/).reply(500).get(/.*/).reply(500);
  });
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch);
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it('builds the adapter without reading the key or calling Entra', async () => {
    const built = createTeamsAdapter(certAuth, quietLogger());
    expect(built.testMode).toBe(false);
    expect(built.identity).toBe(APP_ID);
    await new Promise((r) => setTimeout(r, 50));
    expect(login.isDone()).toBe(false);
    expect(login.pendingMocks()).toHaveLength(2);
    expect(attempts.filter((a) => !a.startsWith('127.0.0.1'))).toEqual([]);
  });

  it('POST /api/messages without a Bot Framework token → 401, no command runs, no token is fetched', async () => {
    let ran = 0;
    const logger = quietLogger();
    const teams = createTeamsSurface({
      config: certAuth,
      db: null,
      source: fakeSource,
      logger,
      run: async () => {
        ran++;
        return { kind: 'text', text: 'should not run' };
      },
    });
    expect(teams.testMode).toBe(false);
    const server = await startHandler(teams.handler);
    try {
      expect((await post(server.url, messageActivity('dlt help', { mention: true }))).status).toBe(401);
      expect((await post(server.url, messageActivity('dlt help'), { authorization: 'Basic Zm9vOmJhcg==' })).status).toBe(401);
      expect((await post(server.url, messageActivity('dlt help'), { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
      expect(ran).toBe(0);
      expect(login.pendingMocks()).toHaveLength(2);
      expect(attempts.filter((a) => !a.startsWith('127.0.0.1'))).toEqual([]);
      expect(logger.lines.join('\n')).not.toMatch(/test mode/);
    } finally {
      await server.close();
    }
  });
});

const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('a certificate made with openssl (as in docs/teams.md)', () => {
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  it.skipIf(!hasOpenssl)('the SDK signs a client assertion with it; no client secret is sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlt-doctor-cert-'));
    try {
      const pemFile = join(dir, 'dlt-doctor-teams.pem');
      const keyFile = join(dir, 'dlt-doctor-teams.key');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', pemFile, '-days', '2', '-subj', '/CN=dlt-doctor-test'], { stdio: 'ignore' });
      const config = authConfiguration({ appId: APP_ID, appPassword: null, certificate: { pemFile, keyFile }, tenantId: TENANT });
      nock.disableNetConnect();
      const authority = `https://login.microsoftonline.com/${TENANT}`;
      let tokenRequest = '';
      nock('https://login.microsoftonline.com')
        .persist()
        .get(/.*/)
        .reply(200, {
          token_endpoint: `${authority}/oauth2/v2.0/token`,
          issuer: `${authority}/v2.0`,
          authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
          jwks_uri: `${authority}/discovery/v2.0/keys`,
          end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
        })
        .post(new RegExp(`^/${TENANT}/oauth2/v2.0/token`))
        .reply(200, (_uri, body) => {
          tokenRequest = String(body);
          return { token_type: 'Bearer', expires_in: 3600, access_token: 'fake-access-token' };
        });
      const token = await new MsalTokenProvider(config).getAccessToken(config, 'https://api.botframework.com');
      expect(token).toBe('fake-access-token');
      const form = new URLSearchParams(tokenRequest);
      expect(form.get('client_id')).toBe(APP_ID);
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      // a signed JWT whose header names the certificate (x5t: its SHA-1 thumbprint, base64url)
      const assertion = form.get('client_assertion') ?? '';
      const header = JSON.parse(Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString()) as Record<string, unknown>;
      expect(header.alg).toMatch(/^(RS|PS)256$/);
      expect(header.x5t ?? header['x5t#S256']).toBeTruthy();
      expect(form.has('client_secret')).toBe(false);
      const keyBody = readFileSync(keyFile, 'utf8').split('\n')[1] ?? 'absent';
      expect(tokenRequest).not.toContain(keyBody);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
