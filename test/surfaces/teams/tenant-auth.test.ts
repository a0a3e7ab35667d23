/**
 * Who may talk to the bot when authentication is on: tokens signed with a local RSA key, whose
 * JWKS nock serves where the SDK fetches it (login.botframework.com for Bot Connector tokens,
 * login.microsoftonline.com/<tenant>/discovery/v2.0/keys for Entra ones: Entra signing keys are
 * shared by every tenant, which is why the issuer must be checked). The bot's own access token comes
 * from a nock'd Entra token endpoint; replies go to a nock'd Bot Connector. A refused activity runs no
 * command, sends nothing anywhere and stores no conversation reference.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/db.js';
import { createTeamsSurface, type TeamsSurface } from '../../../src/surfaces/teams/index.js';
import { fakeSource } from '../slack/helpers.js';
import { tempDbPath } from '../../schedule/alert-support.js';
import { CHANNEL_CONVERSATION, connector, messageActivity, post, quietLogger, SERVICE_URL, startHandler } from './helpers.js';

const APP_ID = '00000000-0000-4000-8000-000000000001';
const TENANT = '11111111-1111-4111-8111-111111111111';
const EXTRA = '22222222-2222-4222-8222-222222222222';
const FOREIGN = '99999999-9999-4999-8999-999999999999';
const KID = 'test-key-1';

let privateKey: KeyObject;
let jwks: { keys: Record<string, unknown>[] };

beforeAll(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = pair.privateKey;
  jwks = { keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid: KID, use: 'sig', alg: 'RS256' }] };
});

/** An RS256 JWT signed with the local key (the JWKS above has its public half). */
function token(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${b64({ alg: 'RS256', typ: 'JWT', kid: KID })}.${b64({ aud: APP_ID, nbf: now - 60, iat: now - 60, exp: now + 3600, ...claims })}`;
  return `${data}.${sign('sha256', Buffer.from(data), privateKey).toString('base64url')}`;
}

/** A Bot Connector token as Teams sends it: issuer api.botframework.com, the serviceurl claim. */
const botConnectorToken = (serviceurl = SERVICE_URL) => token({ iss: 'https://api.botframework.com', serviceurl });
/** An Entra (v2) token issued by `tenant`, with its tid. */
const entraToken = (tenant: string) => token({ iss: `https://login.microsoftonline.com/${tenant}/v2.0`, tid: tenant, azp: APP_ID, serviceurl: SERVICE_URL });

function activity(o: { tenant?: string | null; serviceUrl?: string } = {}) {
  const a = messageActivity('dlt help', { mention: true }) as Record<string, unknown> & { channelData: Record<string, unknown>; conversation: Record<string, unknown> };
  const tenant = o.tenant === undefined ? TENANT : o.tenant;
  if (tenant === null) {
    delete a.channelData.tenant;
    delete a.conversation.tenantId;
  } else {
    a.channelData.tenant = { id: tenant };
    a.conversation.tenantId = tenant;
  }
  if (o.serviceUrl) a.serviceUrl = o.serviceUrl;
  return a;
}

/** Microsoft's side: the JWKS of both issuers, OpenID metadata and the token endpoint for the bot's own token; a host that must never be called. */
function microsoft() {
  const attacker: string[] = [];
  const tokenRequests: string[] = [];
  nock('https://login.botframework.com').persist().get('/v1/.well-known/keys').reply(200, jwks);
  const authority = `https://login.microsoftonline.com/${TENANT}`;
  nock('https://login.microsoftonline.com')
    .persist()
    .get(`/${TENANT}/discovery/v2.0/keys`)
    .reply(200, jwks)
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
      tokenRequests.push(String(body));
      return { token_type: 'Bearer', expires_in: 3600, access_token: 'bot-access-token' };
    });
  nock('https://attacker.example')
    .persist()
    .post(/.*/)
    .reply(function (path) {
      attacker.push(`${String(this.req.headers.authorization)} ${path}`);
      return [201, { id: 'stolen' }];
    });
  return { attacker, tokenRequests };
}

describe('Teams with authentication: issuer, tenant and serviceUrl are checked', () => {
  let teams: TeamsSurface;
  let server: Awaited<ReturnType<typeof startHandler>>;
  let ran = 0;
  const logger = quietLogger();
  const db = openDb(tempDbPath());

  beforeAll(async () => {
    teams = createTeamsSurface({
      config: { appId: APP_ID, appPassword: 'fake-secret', tenantId: TENANT, extraTenantIds: [EXTRA] },
      db,
      source: fakeSource,
      logger,
      run: async () => {
        ran++;
        return { kind: 'text', text: 'ran' };
      },
    });
    server = await startHandler(teams.handler);
  });
  afterAll(async () => {
    await server.close();
    db.close();
  });
  afterEach(() => {
    nock.cleanAll();
    nock.enableNetConnect();
  });

  /** POSTs `body` with `bearer`; what happened: status, commands run, Bot Connector and attacker calls, the stored reference. */
  async function send(body: unknown, bearer: string) {
    const api = connector();
    const ms = microsoft();
    const before = ran;
    db.prepare('DELETE FROM teams_conversations').run();
    try {
      const r = await post(server.url, body, { authorization: `Bearer ${bearer}` });
      return { status: r.status, text: r.text, ran: ran - before, replies: api.calls, attacker: ms.attacker, stored: (await teams.store?.get(CHANNEL_CONVERSATION)) ?? null };
    } finally {
      api.done();
    }
  }

  it('a Bot Connector token for our app and an activity from our tenant: the command runs, the reply goes to the serviceUrl with the bot’s token', async () => {
    const r = await send(activity(), botConnectorToken());
    expect(r.status).toBe(200);
    expect(r.ran).toBe(1);
    expect(r.replies).toHaveLength(1);
    expect(r.stored?.reference.serviceUrl).toBe(SERVICE_URL);
  });

  it('an activity from a tenant in TEAMS_ALLOWED_TENANT_IDS is accepted, and an Entra token issued by it', async () => {
    expect((await send(activity({ tenant: EXTRA }), botConnectorToken())).ran).toBe(1);
    const r = await send(activity({ tenant: EXTRA }), entraToken(EXTRA));
    expect(r.status).toBe(200);
    expect(r.ran).toBe(1);
  });

  it('a signature-valid Entra token issued by another tenant is refused (401): nothing runs, is sent or stored', async () => {
    const r = await send(activity(), entraToken(FOREIGN));
    expect(r.status).toBe(401);
    expect(r).toMatchObject({ ran: 0, replies: [], attacker: [], stored: null });
    expect(r.text).not.toMatch(/at \w+ \(|\.js:\d+/);
  });

  it('an activity from another tenant with a valid Bot Connector token is refused (403)', async () => {
    const r = await send(activity({ tenant: FOREIGN }), botConnectorToken());
    expect(r.status).toBe(403);
    expect(r).toMatchObject({ ran: 0, replies: [], attacker: [], stored: null });
    expect(logger.lines.some((l) => l.includes(FOREIGN) && l.includes('TEAMS_ALLOWED_TENANT_IDS'))).toBe(true);
    // naming our tenant in one place and another in the other does not help
    const mixed = activity();
    mixed.conversation.tenantId = FOREIGN;
    expect((await send(mixed, botConnectorToken())).status).toBe(403);
    // nor does naming none
    expect((await send(activity({ tenant: null }), botConnectorToken())).status).toBe(403);
  });

  it('a serviceUrl on another host than the token’s serviceurl claim is refused (403): the bot’s token never goes there', async () => {
    const r = await send(activity({ serviceUrl: 'https://attacker.example/teams/' }), botConnectorToken(SERVICE_URL));
    expect(r.status).toBe(403);
    expect(r).toMatchObject({ ran: 0, replies: [], attacker: [], stored: null });
  });

  it('a serviceUrl off the Teams hosts is refused even when the token has no serviceurl claim', async () => {
    const r = await send(activity({ serviceUrl: 'https://attacker.example/teams/' }), token({ iss: 'https://api.botframework.com' }));
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(r).toMatchObject({ ran: 0, replies: [], attacker: [], stored: null });
  });
});
