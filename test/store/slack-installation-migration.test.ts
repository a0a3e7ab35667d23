/**
 * Migrations 003, 103 and 300: a database from before Slack installations were recorded (its rows
 * in digest_subscriptions, alert_watches, alert_incidents and apply_audit) migrates; when exactly
 * one Slack workspace is installed its Slack rows are backfilled with that installation (team,
 * enterprise, org-wide flag), Teams and console rows are not; with several installed the rows stay
 * unassigned. Running the migrations again changes nothing.
 */
import type { Installation } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { migrate, openDb, type Db } from '../../src/store/db.js';
import { createAlertStore } from '../../src/store/alerts.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { createSlackInstallationStore } from '../../src/store/slack-installations.js';
import { sqliteSql } from '../../src/store/sql/sqlite.js';
import { createSubscriptionStore } from '../../src/store/subscriptions.js';
import { teamInstall } from '../support/slack-install.js';

const NEW = new Set(['003-digest-subscriptions-slack-installation', '103-alerts-slack-installation', '300-slack-installation-backfill']);

/** A database at the schema before this change, with rows made in Slack, the console and Teams. */
function oldDatabase(): Db {
  const db = openDb(':memory:', MIGRATIONS.filter((m) => !NEW.has(m.id)));
  const sub = db.prepare('INSERT INTO digest_subscriptions (channel, surface, cron, tz, filter, created_by, created_at) VALUES (?, ?, ?, ?, NULL, NULL, ?)');
  sub.run('C_SLACK', 'slack', '0 8 * * *', 'UTC', '2026-11-01T00:00:00Z');
  sub.run('C_CONSOLE', 'console', '0 8 * * *', 'UTC', '2026-11-01T00:00:00Z');
  sub.run('19:teams@thread', 'teams', '0 8 * * *', 'UTC', '2026-11-01T00:00:00Z');
  const watch = db.prepare('INSERT INTO alert_watches (channel, pipeline_id, pipeline_name, regression, backlog_min, cost_spike_pct, created_by, created_at, surface) VALUES (?, ?, ?, 1.5, 15, 20, NULL, 1, ?)');
  watch.run('C_SLACK', 'p1', 'orders', 'slack');
  watch.run('19:teams@thread', 'p1', 'orders', 'teams');
  db.prepare(
    "INSERT INTO alert_incidents (dedupe_key, channel, pipeline_id, pipeline_name, update_id, kind, state, summary, parent_ts, thread_ts, opened_at, updated_at, surface) VALUES ('p1:u1:failed', 'C_SLACK', 'p1', 'orders', 'u1', 'failed', 'open', 's', '1.1', '1.1', 1, 1, 'slack')",
  ).run();
  db.prepare(
    "INSERT INTO apply_audit (at, user_id, surface, channel, thread_ts, pipeline_id, update_id, recommendation_id, change_json, diff_json, result) VALUES (1, 'U1', 'slack', 'C_SLACK', '1.1', 'p1', 'u1', 'r1', 'null', '[]', 'applied')",
  ).run();
  return db;
}

const orgInstall = (enterprise: string, token: string) =>
  ({ ...teamInstall('x', token), team: undefined, enterprise: { id: enterprise, name: enterprise }, isEnterpriseInstall: true }) as unknown as Installation<'v2', true>;

const columns = (db: Db, table: string) => (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as { name: string }[]).map((c) => c.name);
const refs = (db: Db, table: string) =>
  db.prepare(`SELECT channel, slack_team_id AS team, slack_enterprise_id AS enterprise, slack_enterprise_install AS org FROM ${table} ORDER BY channel`).all();

describe('Slack installation migrations (003, 103, 300)', () => {
  it('an old database with one workspace installed: its Slack rows are backfilled, Teams and console rows are not; running again changes nothing', async () => {
    const db = oldDatabase();
    await createSlackInstallationStore(db).storeInstallation(teamInstall('T_ONLY', 'xoxb-only'));
    for (const t of ['digest_subscriptions', 'alert_watches', 'alert_incidents', 'apply_audit']) expect(columns(db, t)).not.toContain('slack_team_id');

    expect(migrate(db)).toEqual([...NEW]);
    const only = { team: 'T_ONLY', enterprise: null, org: 0 };
    expect(refs(db, 'digest_subscriptions')).toEqual([
      { channel: '19:teams@thread', team: null, enterprise: null, org: 0 },
      { channel: 'C_CONSOLE', team: null, enterprise: null, org: 0 },
      { channel: 'C_SLACK', ...only },
    ]);
    expect(refs(db, 'alert_watches')).toEqual([
      { channel: '19:teams@thread', team: null, enterprise: null, org: 0 },
      { channel: 'C_SLACK', ...only },
    ]);
    expect(refs(db, 'alert_incidents')).toEqual([{ channel: 'C_SLACK', ...only }]);
    expect(refs(db, 'apply_audit')).toEqual([{ channel: 'C_SLACK', ...only }]);
    // the stores read it back as the installation ref
    const ref = { teamId: 'T_ONLY', enterpriseId: null, isEnterpriseInstall: false };
    expect((await createSubscriptionStore(sqliteSql(db)).list({ channel: 'C_SLACK' }))[0]?.slack).toEqual(ref);
    const alerts = createAlertStore(db);
    expect((await alerts.watches()).find((w) => w.channel === 'C_SLACK')?.slack).toEqual(ref);
    expect((await alerts.watches()).find((w) => w.surface === 'teams')?.slack).toBeNull();
    expect((await alerts.incidents('C_SLACK'))[0]?.slack).toEqual(ref);
    expect((await alerts.audits())[0]?.slack).toEqual(ref);

    // idempotent: nothing applied again, nothing changed (also after a second workspace installs)
    const before = ['digest_subscriptions', 'alert_watches', 'alert_incidents', 'apply_audit'].map((t) => refs(db, t));
    await createSlackInstallationStore(db).storeInstallation(teamInstall('T_SECOND', 'xoxb-second'));
    expect(migrate(db)).toEqual([]);
    expect(migrate(db)).toEqual([]);
    expect(['digest_subscriptions', 'alert_watches', 'alert_incidents', 'apply_audit'].map((t) => refs(db, t))).toEqual(before);
  });

  it('an org-wide (Enterprise Grid) installation: the backfill records its enterprise id and the org-wide flag', async () => {
    const db = oldDatabase();
    await createSlackInstallationStore(db).storeInstallation(orgInstall('E_ORG', 'xoxb-org'));
    migrate(db);
    expect((await createAlertStore(db).watches()).find((w) => w.channel === 'C_SLACK')?.slack).toEqual({ teamId: null, enterpriseId: 'E_ORG', isEnterpriseInstall: true });
    expect((await createSubscriptionStore(sqliteSql(db)).list({ channel: 'C_SLACK' }))[0]?.slack).toEqual({ teamId: null, enterpriseId: 'E_ORG', isEnterpriseInstall: true });
  });

  it('with no or several workspaces installed nothing is guessed: the rows stay unassigned', async () => {
    const none = oldDatabase();
    migrate(none);
    expect(refs(none, 'alert_watches').every((r) => (r as { team: unknown }).team === null)).toBe(true);

    const several = oldDatabase();
    const store = createSlackInstallationStore(several);
    await store.storeInstallation(teamInstall('T_1', 'xoxb-1'));
    await store.storeInstallation(teamInstall('T_2', 'xoxb-2'));
    migrate(several);
    for (const t of ['digest_subscriptions', 'alert_watches', 'alert_incidents', 'apply_audit']) {
      expect((refs(several, t) as { team: unknown; enterprise: unknown }[]).every((r) => r.team === null && r.enterprise === null), t).toBe(true);
    }
    expect((await createAlertStore(several).watches()).find((w) => w.channel === 'C_SLACK')?.slack).toBeNull();
  });

  it('a fresh database has the columns and new rows record the installation they were made from', async () => {
    const db = openDb(':memory:');
    const alerts = createAlertStore(db);
    const org = { teamId: 'T_W1', enterpriseId: 'E_ORG', isEnterpriseInstall: true };
    await alerts.watch({ channel: 'C1', pipelineId: 'p1', pipelineName: 'orders', regression: 1.5, backlogMin: 15, costSpikePct: 20, createdBy: 'U1', createdAt: 1, surface: 'slack', slack: org });
    expect((await alerts.watches())[0]?.slack).toEqual(org);
    // the watch made again from another workspace's channel id takes that installation
    const plain = { teamId: 'T_2', enterpriseId: null, isEnterpriseInstall: false };
    await alerts.watch({ channel: 'C1', pipelineId: 'p1', pipelineName: 'orders', regression: 1.5, backlogMin: 15, costSpikePct: 20, createdBy: 'U1', createdAt: 1, surface: 'slack', slack: plain });
    expect((await alerts.watches())[0]?.slack).toEqual(plain);
    const inc = await alerts.openIncident({ channel: 'C1', pipelineId: 'p1', pipelineName: 'orders', updateId: 'u1', kind: 'failed', summary: 's', at: 1, slack: org });
    expect(inc?.slack).toEqual(org);
    const sub = await createSubscriptionStore(sqliteSql(db)).add({ channel: 'C1', surface: 'slack', cron: '0 8 * * *', tz: 'UTC', filter: null, createdBy: null, slack: plain });
    expect(sub.slack).toEqual(plain);
    expect((await createSubscriptionStore(sqliteSql(db)).add({ channel: 'C2', surface: 'console', cron: '0 8 * * *', tz: 'UTC', filter: null, createdBy: null })).slack).toBeNull();
  });
});
