import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV_VARS, loadConfig } from '../src/config.js';
import { databasePassword, secretsOf } from '../src/log.js';

function ok(env: Record<string, string | undefined>) {
  const r = loadConfig(env);
  if (!r.ok) throw new Error(`expected ok, got: ${r.errors.join('; ')}`);
  return r.config;
}
function errors(env: Record<string, string | undefined>) {
  const r = loadConfig(env);
  if (r.ok) throw new Error('expected errors');
  return r.errors.join('\n');
}

describe('loadConfig', () => {
  it('with nothing set runs the demo with defaults', () => {
    const c = ok({});
    expect(c).toMatchObject({ mode: 'demo', databricks: null, port: 3000, dbPath: '.data/dlt-doctor.sqlite', slack: null, teams: null, logLevel: 'info', applyAllowedUsers: [] });
  });

  it('treats blank values (as .env.example leaves them) as unset', () => {
    const blank = Object.fromEntries(ENV_VARS.map((v) => [v, '']));
    expect(ok(blank).mode).toBe('demo');
  });

  it('a host and a token select the workspace with a PAT', () => {
    const c = ok({ DATABRICKS_HOST: 'adb-1.2.azuredatabricks.net/', DATABRICKS_TOKEN: 'dapi1', DATABRICKS_WAREHOUSE_HTTP_PATH: '/sql/1.0/warehouses/abc123', DLT_DOCTOR_EVENT_SOURCE: 'system_table' });
    expect(c.mode).toBe('workspace');
    expect(c.databricks).toEqual({ host: 'https://adb-1.2.azuredatabricks.net', auth: { kind: 'pat', token: 'dapi1' }, warehouseHttpPath: '/sql/1.0/warehouses/abc123', eventSource: 'system_table', pipelineEventsTable: null });
  });

  it('DLT_DOCTOR_PIPELINE_EVENTS_TABLE names the pipeline events table (three parts, nothing that could be spliced)', () => {
    const env = { DATABRICKS_HOST: 'h.cloud.databricks.com', DATABRICKS_TOKEN: 't' };
    expect(ok({ ...env, DLT_DOCTOR_PIPELINE_EVENTS_TABLE: 'system.lakeflow.pipeline_events' }).databricks?.pipelineEventsTable).toBe('system.lakeflow.pipeline_events');
    expect(ok({ ...env, DLT_DOCTOR_PIPELINE_EVENTS_TABLE: '' }).databricks?.pipelineEventsTable).toBeNull();
    expect(errors({ ...env, DLT_DOCTOR_PIPELINE_EVENTS_TABLE: 'lakeflow.pipeline_events' })).toMatch(/DLT_DOCTOR_PIPELINE_EVENTS_TABLE.*three-part/);
    expect(errors({ ...env, DLT_DOCTOR_PIPELINE_EVENTS_TABLE: 'a.b.c; DROP TABLE d' })).toMatch(/DLT_DOCTOR_PIPELINE_EVENTS_TABLE/);
  });

  it('a host with a client id and secret selects OAuth M2M; no warehouse path means REST only', () => {
    const c = ok({ DATABRICKS_HOST: 'https://dbc-1.cloud.databricks.com', DATABRICKS_CLIENT_ID: 'sp', DATABRICKS_CLIENT_SECRET: 's' });
    expect(c.databricks?.auth).toEqual({ kind: 'oauth-m2m', clientId: 'sp', clientSecret: 's' });
    expect(c.databricks?.warehouseHttpPath).toBeNull();
    expect(c.databricks?.eventSource).toBe('event_log');
  });

  it('explains missing or conflicting Databricks credentials', () => {
    expect(errors({ DATABRICKS_HOST: 'h.cloud.databricks.com' })).toMatch(/DATABRICKS_TOKEN.*or DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET/);
    expect(errors({ DATABRICKS_HOST: 'h.cloud.databricks.com', DATABRICKS_CLIENT_ID: 'sp' })).toMatch(/needs both DATABRICKS_CLIENT_ID and DATABRICKS_CLIENT_SECRET/);
    expect(errors({ DATABRICKS_HOST: 'h.cloud.databricks.com', DATABRICKS_TOKEN: 't', DATABRICKS_CLIENT_ID: 'sp', DATABRICKS_CLIENT_SECRET: 's' })).toMatch(/not both/);
    expect(errors({ DATABRICKS_TOKEN: 'dapi' })).toMatch(/DATABRICKS_TOKEN is set but DATABRICKS_HOST is not/);
  });

  it('reports every bad value at once, by variable name, without echoing secrets', () => {
    const text = errors({ PORT: 'eighty', DLT_DOCTOR_EVENT_SOURCE: 'rest', SLACK_BOT_TOKEN: 'secret-value', LOG_LEVEL: 'loud', DATABRICKS_WAREHOUSE_HTTP_PATH: 'warehouses/x' });
    expect(text).toMatch(/^PORT: /m);
    expect(text).toMatch(/^DLT_DOCTOR_EVENT_SOURCE: must be one of event_log, published, system_table/m);
    expect(text).toMatch(/^SLACK_BOT_TOKEN: must start with xoxb-/m);
    expect(text).toMatch(/^LOG_LEVEL: /m);
    expect(text).toMatch(/^DATABRICKS_WAREHOUSE_HTTP_PATH: must be the SQL warehouse HTTP path/m);
    expect(text).not.toContain('secret-value');
    expect(errors({ PORT: '70000' })).toMatch(/PORT: must be between 1 and 65535 \(0: any free port\)/);
  });

  it('Slack: HTTP mode needs the signing secret, Socket Mode the app token, OAuth all three', () => {
    expect(ok({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack).toMatchObject({ socketMode: false, oauth: null });
    expect(ok({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SOCKET_MODE: 'true' }).slack?.socketMode).toBe(true);
    expect(errors({ SLACK_BOT_TOKEN: 'xoxb-1' })).toMatch(/SLACK_SIGNING_SECRET/);
    expect(errors({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SOCKET_MODE: '1' })).toMatch(/SLACK_APP_TOKEN/);
    expect(errors({ SLACK_CLIENT_ID: 'c', SLACK_SIGNING_SECRET: 's' })).toMatch(/all of SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET/);
    expect(ok({ SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: 'st', SLACK_SIGNING_SECRET: 's' }).slack?.oauth).toEqual({ clientId: 'c', clientSecret: 'cs', stateSecret: 'st', allowedTeamIds: [] });
    // SLACK_ALLOWED_TEAM_IDS: a trimmed, comma-separated list of team / enterprise ids
    expect(ok({ SLACK_CLIENT_ID: 'c', SLACK_CLIENT_SECRET: 'cs', SLACK_STATE_SECRET: 'st', SLACK_SIGNING_SECRET: 's', SLACK_ALLOWED_TEAM_IDS: ' T1, E2 ,,' }).slack?.oauth?.allowedTeamIds).toEqual(['T1', 'E2']);
    expect(errors({ SLACK_SOCKET_MODE: 'maybe' })).toMatch(/SLACK_SOCKET_MODE: must be true or false/);
  });

  it('Teams needs id and password; allowed users are a trimmed list', () => {
    expect(errors({ TEAMS_APP_ID: 'id' })).toMatch(/TEAMS_APP_PASSWORD/);
    expect(ok({ TEAMS_APP_ID: 'id', TEAMS_APP_PASSWORD: 'pw', TEAMS_TENANT_ID: 'tenant' }).teams).toEqual({ appId: 'id', appPassword: 'pw', certificate: null, tenantId: 'tenant' });
    expect(errors({ TEAMS_APP_ID: 'id', TEAMS_APP_PASSWORD: 'pw' })).toMatch(/TEAMS_TENANT_ID/);
    // TEAMS_ALLOWED_TENANT_IDS: further tenant GUIDs, trimmed; an alias or a typo is an error, not a silent refusal later
    const t1 = '72F988BF-86F1-41AF-91AB-2D7CD011DB47';
    const t2 = '00000000-0000-4000-8000-0000000000bb';
    expect(ok({ TEAMS_APP_ID: 'id', TEAMS_APP_PASSWORD: 'pw', TEAMS_TENANT_ID: 'tenant', TEAMS_ALLOWED_TENANT_IDS: ` ${t1}, ${t2} ,,` }).teams?.extraTenantIds).toEqual([t1, t2]);
    expect(errors({ TEAMS_APP_ID: 'id', TEAMS_APP_PASSWORD: 'pw', TEAMS_TENANT_ID: 'tenant', TEAMS_ALLOWED_TENANT_IDS: `${t1},contoso.onmicrosoft.com` })).toMatch(/TEAMS_ALLOWED_TENANT_IDS takes Entra tenant ids \(GUIDs\).*"contoso\.onmicrosoft\.com"/);
    expect(errors({ TEAMS_ALLOWED_TENANT_IDS: t1 })).toMatch(/TEAMS_APP_ID/);
    expect(ok({ DLT_DOCTOR_APPLY_ALLOWED_USERS: ' U1, ana@x.com ,,U2 ' }).applyAllowedUsers).toEqual(['U1', 'ana@x.com', 'U2']);
    expect(ok({ PORT: '8080', LOG_LEVEL: 'DEBUG', DLT_DOCTOR_DB: '/tmp/x.sqlite' })).toMatchObject({ port: 8080, logLevel: 'debug', dbPath: '/tmp/x.sqlite' });
  });

  describe('Teams certificate credential', () => {
    let dir: string;
    let pem: string;
    let key: string;
    const base = { TEAMS_APP_ID: 'id', TEAMS_TENANT_ID: 'tenant' };
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'dlt-doctor-cert-'));
      pem = join(dir, 'cert.pem');
      key = join(dir, 'key.pem');
      // content is irrelevant to the configuration: it only checks the files are there
      writeFileSync(pem, '-----BEGIN CERTIFICATE-----\nnot-a-real-cert\n-----END CERTIFICATE-----\n');
      writeFileSync(key, '-----BEGIN PRIVATE KEY-----\nKEY-CONTENT-MUST-NOT-SHOW\n-----END PRIVATE KEY-----\n');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('certificate mode: both paths, no password; the configuration holds paths, never the key', () => {
      const c = ok({ ...base, TEAMS_CERT_PEM_FILE: pem, TEAMS_CERT_KEY_FILE: ` ${key} ` });
      expect(c.teams).toEqual({ appId: 'id', appPassword: null, certificate: { pemFile: pem, keyFile: key }, tenantId: 'tenant' });
      expect(JSON.stringify(c)).not.toContain('KEY-CONTENT-MUST-NOT-SHOW');
    });

    it('relative paths are resolved against the working directory at start', () => {
      const rel = relative(process.cwd(), pem);
      expect(ok({ ...base, TEAMS_CERT_PEM_FILE: rel, TEAMS_CERT_KEY_FILE: key }).teams?.certificate?.pemFile).toBe(resolve(rel));
    });

    it('password and certificate together → "set either …, not both"', () => {
      expect(errors({ ...base, TEAMS_APP_PASSWORD: 'pw', TEAMS_CERT_PEM_FILE: pem, TEAMS_CERT_KEY_FILE: key })).toMatch(/either TEAMS_APP_PASSWORD .* or TEAMS_CERT_PEM_FILE and TEAMS_CERT_KEY_FILE .*not both/);
      expect(errors({ ...base, TEAMS_APP_PASSWORD: 'pw', TEAMS_CERT_KEY_FILE: key })).toMatch(/not both/);
    });

    it('half a certificate → names the missing variable', () => {
      expect(errors({ ...base, TEAMS_CERT_PEM_FILE: pem })).toMatch(/needs both TEAMS_CERT_PEM_FILE .* and TEAMS_CERT_KEY_FILE/);
      expect(errors({ ...base, TEAMS_CERT_KEY_FILE: key })).toMatch(/needs both TEAMS_CERT_PEM_FILE/);
    });

    it('no credential at all → asks for a password or a certificate', () => {
      expect(errors(base)).toMatch(/TEAMS_APP_PASSWORD \(client secret\) or TEAMS_CERT_PEM_FILE and TEAMS_CERT_KEY_FILE/);
    });

    it('a path that does not exist, or is a directory → a clear error naming the variable and the path', () => {
      const missing = join(dir, 'nope.pem');
      const e = errors({ ...base, TEAMS_CERT_PEM_FILE: pem, TEAMS_CERT_KEY_FILE: missing });
      expect(e).toContain(`TEAMS_CERT_KEY_FILE: ${missing} does not exist.`);
      expect(e).not.toMatch(/TEAMS_CERT_PEM_FILE:/);
      expect(errors({ ...base, TEAMS_CERT_PEM_FILE: dir, TEAMS_CERT_KEY_FILE: key })).toContain(`TEAMS_CERT_PEM_FILE: ${dir} is not a file.`);
    });

    it('a certificate alone still needs the app id and tenant id', () => {
      const e = errors({ TEAMS_CERT_PEM_FILE: pem, TEAMS_CERT_KEY_FILE: key });
      expect(e).toMatch(/TEAMS_APP_ID/);
      expect(e).toMatch(/TEAMS_TENANT_ID/);
    });
  });

  it('DATABASE_URL selects PostgreSQL; anything but a postgres:// URI is refused; the scheduler timings are bounded', () => {
    expect(ok({}).databaseUrl).toBeNull();
    expect(ok({ DATABASE_URL: 'postgres://bot:s3cret@db.internal:5432/dlt?sslmode=require' }).databaseUrl).toBe('postgres://bot:s3cret@db.internal:5432/dlt?sslmode=require');
    expect(ok({ DATABASE_URL: 'postgresql://db/dlt' }).databaseUrl).toBe('postgresql://db/dlt');
    expect(errors({ DATABASE_URL: 'mysql://db/dlt' })).toContain('DATABASE_URL');
    expect(ok({}).alertPollMs).toBe(60_000);
    expect(ok({}).schedulerLeaseMs).toBe(60_000);
    expect(ok({ DLT_DOCTOR_ALERT_POLL_SECONDS: '15', DLT_DOCTOR_SCHEDULER_LEASE_SECONDS: '20' })).toMatchObject({ alertPollMs: 15_000, schedulerLeaseMs: 20_000 });
    expect(errors({ DLT_DOCTOR_SCHEDULER_LEASE_SECONDS: '1' })).toContain('DLT_DOCTOR_SCHEDULER_LEASE_SECONDS');
    expect(errors({ DLT_DOCTOR_ALERT_POLL_SECONDS: 'often' })).toContain('DLT_DOCTOR_ALERT_POLL_SECONDS');
  });

  it('the password of DATABASE_URL is a secret: redacted as written and decoded', () => {
    const c = ok({ DATABASE_URL: 'postgres://bot:p%40ss%2Fw0rd-long@db.internal/dlt' });
    const secrets = secretsOf(c);
    expect(secrets).toContain('p@ss/w0rd-long');
    expect(secrets).toContain('p%40ss%2Fw0rd-long');
    expect(databasePassword('postgres://db.internal/dlt')).toBeNull();
    expect(databasePassword('not a url')).toBeNull();
  });

  it('ignores unrelated environment variables', () => {
    expect(ok({ PATH: '/usr/bin', HOME: '/root' }).mode).toBe('demo');
  });
});

describe('.env.example', () => {
  it('lists exactly the variables of the schema, each with a comment above its block', () => {
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const lines = text.split('\n');
    const vars = lines.map((l) => /^([A-Z][A-Z0-9_]*)=/.exec(l)?.[1]).filter((v): v is string => Boolean(v));
    expect([...vars].sort()).toEqual([...ENV_VARS].sort());
    expect(new Set(vars).size).toBe(vars.length);
    for (const v of vars) {
      // walk up over sibling variable lines to the block's comment
      let i = lines.findIndex((l) => l.startsWith(`${v}=`)) - 1;
      while (i >= 0 && /^[A-Z][A-Z0-9_]*=/.test(lines[i]!)) i--;
      expect(lines[i], v).toMatch(/^# /);
    }
  });

  it('as written (all blank) is a valid configuration', () => {
    const text = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries(text.split('\n').flatMap((l) => { const m = /^([A-Z0-9_]+)=(.*)$/.exec(l); return m ? [[m[1]!, m[2]!]] : []; }));
    expect(loadConfig(env).ok).toBe(true);
  });
});
