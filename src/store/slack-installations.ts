/**
 * Bolt InstallationStore backed by SQLite, keyed by the enterprise id for org-wide installs and
 * by the team id otherwise (https://docs.slack.dev/tools/bolt-js/concepts/authenticating-oauth/).
 *
 * `allowedTeamIds` (SLACK_ALLOWED_TEAM_IDS): when not empty, only those Slack teams / Enterprise
 * Grid orgs may install (storeInstallation refuses the rest and stores nothing) or be served
 * (fetchInstallation, which Bolt's authorize calls for every incoming request, refuses the rest, so
 * a team stored before it was taken off the list is cut off too). Empty: any workspace.
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import type { SqlDb } from './sql/types.js';
import type { Db } from './db.js';
import { asSqlDb } from './sql/sqlite.js';

/**
 * Which Slack installation a stored subscription, watch, incident or apply belongs to: the ids
 * Bolt's authorize passes to `fetchInstallation` ({ teamId, enterpriseId, isEnterpriseInstall }).
 * An Enterprise Grid org-wide install is found by its enterprise id, any other by its team id
 * (installKey). In single-token mode it is recorded too but not needed: every post uses the one token.
 */
export interface SlackInstallationRef {
  teamId: string | null;
  enterpriseId: string | null;
  isEnterpriseInstall: boolean;
}

const slackId = z.string().min(1).max(64);
// Bolt's listener `context` (buildSource in @slack/bolt App.js): teamId / enterpriseId from the
// request body (team_id / enterprise_id of a slash command, team.id / enterprise.id of an
// interaction), isEnterpriseInstall from its is_enterprise_install
const boltContext = z.object({
  teamId: slackId.nullish(),
  enterpriseId: slackId.nullish(),
  isEnterpriseInstall: z.boolean().nullish(),
});

/** The installation of a Bolt request (its listener `context`); null when it names neither a team nor an enterprise. */
export function slackInstallationOf(context: unknown): SlackInstallationRef | null {
  const c = boltContext.safeParse(context);
  if (!c.success) return null;
  const ref = { teamId: c.data.teamId ?? null, enterpriseId: c.data.enterpriseId ?? null, isEnterpriseInstall: Boolean(c.data.isEnterpriseInstall && c.data.enterpriseId) };
  return ref.teamId || ref.enterpriseId ? ref : null;
}

/** The store key of a ref ("E:…" org-wide, else "T:…"); null when it has neither id. */
export function slackInstallationKey(ref: SlackInstallationRef | null | undefined): string | null {
  if (!ref) return null;
  if (ref.isEnterpriseInstall && ref.enterpriseId) return `E:${ref.enterpriseId}`;
  return ref.teamId ? `T:${ref.teamId}` : null;
}

/**
 * The three columns every table that records an installation has (migrations 003 and 103), in
 * this order: slack_team_id, slack_enterprise_id, slack_enterprise_install — as statement parameters.
 */
export const SLACK_REF_COLUMNS = 'slack_team_id, slack_enterprise_id, slack_enterprise_install';
export const slackRefParams = (ref: SlackInstallationRef | null | undefined): [string | null, string | null, number] => [
  ref?.teamId ?? null,
  ref?.enterpriseId ?? null,
  ref?.isEnterpriseInstall ? 1 : 0,
];
export function slackRefOfRow(r: Record<string, unknown>): SlackInstallationRef | null {
  const teamId = typeof r.slack_team_id === 'string' && r.slack_team_id ? r.slack_team_id : null;
  const enterpriseId = typeof r.slack_enterprise_id === 'string' && r.slack_enterprise_id ? r.slack_enterprise_id : null;
  if (!teamId && !enterpriseId) return null;
  return { teamId, enterpriseId, isEnterpriseInstall: Number(r.slack_enterprise_install) === 1 && enterpriseId !== null };
}

export function installKey(q: { isEnterpriseInstall?: boolean | undefined; enterpriseId?: string | undefined; teamId?: string | undefined }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `E:${q.enterpriseId}`;
  if (q.teamId) return `T:${q.teamId}`;
  throw new Error('installation has neither a team id nor an enterprise id');
}

/** Slack ids of an install or a request; enterprise id for Enterprise Grid. */
export interface SlackTeamIds {
  teamId?: string | undefined;
  enterpriseId?: string | undefined;
}

/** Empty list: everyone. Else the team id or the enterprise id must be listed. */
export function isSlackTeamAllowed(allowed: readonly string[], ids: SlackTeamIds): boolean {
  if (allowed.length === 0) return true;
  return Boolean((ids.teamId && allowed.includes(ids.teamId)) || (ids.enterpriseId && allowed.includes(ids.enterpriseId)));
}

export class SlackTeamNotAllowed extends Error {
  constructor(ids: SlackTeamIds) {
    super(`Slack ${ids.enterpriseId ? `enterprise ${ids.enterpriseId}${ids.teamId ? ` / team ${ids.teamId}` : ''}` : `team ${ids.teamId ?? '(none)'}`} is not in SLACK_ALLOWED_TEAM_IDS`);
    this.name = 'SlackTeamNotAllowed';
  }
}

export type SlackInstallationStore = InstallationStore & {
  count(): Promise<number>;
  /** the ref of the one installation when exactly one is stored (rows from before refs were recorded), else null */
  sole(): Promise<SlackInstallationRef | null>;
};

export function createSlackInstallationStore(
  conn: SqlDb | Db,
  now: () => Date = () => new Date(),
  options: { allowedTeamIds?: readonly string[] } = {},
): SlackInstallationStore {
  const db = asSqlDb(conn);
  const allowed = [...(options.allowedTeamIds ?? [])];
  const keyOf = (q: InstallationQuery<boolean>) => installKey({ isEnterpriseInstall: q.isEnterpriseInstall, enterpriseId: q.enterpriseId, teamId: q.teamId });

  return {
    async storeInstallation(installation: Installation) {
      const ids = { teamId: installation.team?.id, enterpriseId: installation.enterprise?.id };
      if (!isSlackTeamAllowed(allowed, ids)) throw new SlackTeamNotAllowed(ids);
      const isEnterprise = Boolean(installation.isEnterpriseInstall && installation.enterprise?.id);
      const at = now().toISOString();
      await db.run(
        `INSERT INTO slack_installations (install_key, enterprise_id, team_id, is_enterprise, bot_user_id, installation, installed_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (install_key) DO UPDATE SET enterprise_id = excluded.enterprise_id, team_id = excluded.team_id,
           is_enterprise = excluded.is_enterprise, bot_user_id = excluded.bot_user_id, installation = excluded.installation,
           updated_at = excluded.updated_at`,
        [
          installKey({ isEnterpriseInstall: isEnterprise, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id }),
          installation.enterprise?.id ?? null,
          installation.team?.id ?? null,
          isEnterprise ? 1 : 0,
          installation.bot?.userId ?? null,
          JSON.stringify(installation),
          at,
          at,
        ],
      );
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const ids = { teamId: query.teamId, enterpriseId: query.enterpriseId };
      if (!isSlackTeamAllowed(allowed, ids)) throw new SlackTeamNotAllowed(ids);
      const row = await db.get<{ installation: string }>('SELECT installation FROM slack_installations WHERE install_key = ?', [keyOf(query)]);
      if (!row) throw new Error(`no Slack installation for ${keyOf(query)}`);
      return JSON.parse(row.installation) as Installation<'v1' | 'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await db.run('DELETE FROM slack_installations WHERE install_key = ?', [keyOf(query)]);
    },
    async count() {
      return Number((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM slack_installations'))?.n ?? 0);
    },
    async sole() {
      const rows = await db.all<{ team_id: string | null; enterprise_id: string | null; is_enterprise: number }>('SELECT team_id, enterprise_id, is_enterprise FROM slack_installations LIMIT 2');
      if (rows.length !== 1) return null;
      const r = rows[0]!;
      return slackRefOfRow({ slack_team_id: r.team_id, slack_enterprise_id: r.enterprise_id, slack_enterprise_install: r.is_enterprise });
    },
  };
}
