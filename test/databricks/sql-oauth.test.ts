/**
 * SQL OAuth M2M on AWS, Azure and GCP, checked against @databricks/sql's own code (2.0.0):
 * - DBSQLClient.createAuthProvider turns connect options into the authenticator the driver uses;
 * - for 'databricks-oauth', OAuthManager.getManager picks the token issuer by host: without
 *   useDatabricksOAuthInAzure an *.azuredatabricks.net host goes to Microsoft Entra ID
 *   (login.microsoftonline.com), where a Databricks OAuth secret gets no token;
 * - for 'token-provider', the driver asks our provider, here the REST client's workspace token
 *   (POST https://<host>/oidc/v1/token): one token, one cache, for REST and SQL.
 */
import { DBSQLClient } from '@databricks/sql';
import { describe, expect, it } from 'vitest';
import { createRestClient } from '../../src/databricks/rest.js';
import { connectOptions } from '../../src/databricks/sql.js';
import { warehouseAuthFor } from '../../src/sources.js';

const HOSTS = {
  aws: 'dbc-a1b2c3d4-e5f6.cloud.databricks.com',
  azure: 'adb-1234567890123456.7.azuredatabricks.net',
  gcp: '1234567890123456.7.gcp.databricks.com',
} as const;
const PATH = '/sql/1.0/warehouses/abc123';
const SP = { kind: 'oauth-m2m' as const, clientId: 'sp-app-id', clientSecret: 'dose-secret' };

/** the driver's (private) createAuthProvider, as DBSQLClient.connect calls it */
function driverAuth(options: Record<string, unknown>) {
  const client = new DBSQLClient();
  return (client as unknown as { createAuthProvider(o: Record<string, unknown>): unknown }).createAuthProvider(options);
}

describe('SQL OAuth M2M with the driver’s own flow', () => {
  for (const [cloud, host] of Object.entries(HOSTS)) {
    it(`${cloud}: asks the workspace's Databricks OIDC issuer, never Microsoft Entra ID`, () => {
      const options = connectOptions(`https://${host}/`, PATH, SP);
      expect(options).toMatchObject({ host, path: PATH, authType: 'databricks-oauth', oauthClientId: 'sp-app-id', useDatabricksOAuthInAzure: true });
      const auth = driverAuth(options) as { getManager(): { getOIDCConfigUrl(): string; getClientId(): string } };
      const manager = auth.getManager();
      expect(manager.getOIDCConfigUrl()).toBe(`https://${host}/oidc/.well-known/oauth-authorization-server`);
      expect(manager.getClientId()).toBe('sp-app-id');
    });
  }

  it('without useDatabricksOAuthInAzure the driver would send an Azure host to Entra ID (what the flag fixes)', () => {
    const { useDatabricksOAuthInAzure: _flag, ...without } = connectOptions(HOSTS.azure, PATH, SP);
    const manager = (driverAuth(without) as { getManager(): { getOIDCConfigUrl(): string } }).getManager();
    expect(manager.getOIDCConfigUrl()).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
  });
});

describe('SQL OAuth M2M fed by the REST client’s token (the bot’s default)', () => {
  // Azure Government too: the driver's own flow has no Databricks-OAuth path for it (OAuthManager.getManager)
  for (const [cloud, host] of Object.entries({ ...HOSTS, 'azure-gov': 'adb-1234567890123456.7.databricks.azure.us' })) {
    it(`${cloud}: the driver sends the token the REST client got from https://${host}/oidc/v1/token; one token for both`, async () => {
      const asked: string[] = [];
      let issued = 0;
      const fetch = (async (url: string | URL, init?: RequestInit) => {
        asked.push(`${init?.method ?? 'GET'} ${String(url)}`);
        if (String(url).endsWith('/oidc/v1/token')) {
          issued++;
          return new Response(JSON.stringify({ access_token: `tok-${issued}`, token_type: 'Bearer', expires_in: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } });
        }
        expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer tok-1');
        return new Response(JSON.stringify({ node_types: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
      }) as typeof globalThis.fetch;
      const rest = createRestClient({ host, auth: SP, fetch });
      // as openSource wires it (src/sources.ts)
      const options = connectOptions(host, PATH, warehouseAuthFor(SP, rest));
      expect(options).toMatchObject({ host, authType: 'token-provider' });
      expect(options).not.toHaveProperty('oauthClientSecret');

      const auth = driverAuth(options) as { authenticate(): Promise<Record<string, string>> };
      expect(await auth.authenticate()).toMatchObject({ Authorization: 'Bearer tok-1' });
      expect(await auth.authenticate()).toMatchObject({ Authorization: 'Bearer tok-1' });
      await rest.listNodeTypes();
      expect(asked.filter((a) => a.includes('/oidc/'))).toEqual([`POST https://${host}/oidc/v1/token`]);
      expect(issued).toBe(1);
      // a PAT stays a PAT
      expect(connectOptions(host, PATH, warehouseAuthFor({ kind: 'pat', token: 'dapi1' }, rest))).toEqual({ host, path: PATH, token: 'dapi1' });
    });
  }
});
