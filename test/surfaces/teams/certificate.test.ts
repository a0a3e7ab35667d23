/**
 * Teams with a certificate credential (TEAMS_CERT_PEM_FILE / TEAMS_CERT_KEY_FILE): the SDK gets
 * AuthType.Certificate with certPemFile / certKeyFile, building the adapter neither reads the files
 * nor touches the network, and /api/messages still refuses requests without a Bot Framework token.
 */
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { AuthType, resolveAuthType } from '@microsoft/agents-hosting';
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
const certAuth = { appId: APP_ID, appPassword: null, certificate, tenantId: TENANT };

describe('authConfiguration', () => {
  it('a certificate maps to the SDK certificate fields, with no client secret', () => {
    const c = authConfiguration(certAuth);
    expect(c).toEqual({ clientId: APP_ID, tenantId: TENANT, certPemFile: certificate.pemFile, certKeyFile: certificate.keyFile, authType: AuthType.Certificate });
    expect(resolveAuthType(c)).toBe(AuthType.Certificate);
    expect('clientSecret' in c).toBe(false);
  });

  it('a password maps to the client secret (unchanged)', () => {
    const c = authConfiguration({ appId: APP_ID, appPassword: 'fake-secret', certificate: null, tenantId: TENANT });
    expect(c).toEqual({ clientId: APP_ID, tenantId: TENANT, clientSecret: 'fake-secret', authType: AuthType.ClientSecret });
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
