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
import type { Db } from './db.js';

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

export function createSlackInstallationStore(
  db: Db,
  now: () => Date = () => new Date(),
  options: { allowedTeamIds?: readonly string[] } = {},
): InstallationStore & { count(): number } {
  const allowed = [...(options.allowedTeamIds ?? [])];
  const upsert = db.prepare(`
    INSERT INTO slack_installations (install_key, enterprise_id, team_id, is_enterprise, bot_user_id, installation, installed_at, updated_at)
    VALUES (@key, @enterpriseId, @teamId, @isEnterprise, @botUserId, @json, @at, @at)
    ON CONFLICT(install_key) DO UPDATE SET enterprise_id = excluded.enterprise_id, team_id = excluded.team_id,
      is_enterprise = excluded.is_enterprise, bot_user_id = excluded.bot_user_id, installation = excluded.installation,
      updated_at = excluded.updated_at`);
  const select = db.prepare('SELECT installation FROM slack_installations WHERE install_key = ?');
  const remove = db.prepare('DELETE FROM slack_installations WHERE install_key = ?');
  const count = db.prepare('SELECT COUNT(*) AS n FROM slack_installations');

  const keyOf = (q: InstallationQuery<boolean>) => installKey({ isEnterpriseInstall: q.isEnterpriseInstall, enterpriseId: q.enterpriseId, teamId: q.teamId });

  return {
    async storeInstallation(installation: Installation) {
      const ids = { teamId: installation.team?.id, enterpriseId: installation.enterprise?.id };
      if (!isSlackTeamAllowed(allowed, ids)) throw new SlackTeamNotAllowed(ids);
      const isEnterprise = Boolean(installation.isEnterpriseInstall && installation.enterprise?.id);
      upsert.run({
        key: installKey({ isEnterpriseInstall: isEnterprise, enterpriseId: installation.enterprise?.id, teamId: installation.team?.id }),
        enterpriseId: installation.enterprise?.id ?? null,
        teamId: installation.team?.id ?? null,
        isEnterprise: isEnterprise ? 1 : 0,
        botUserId: installation.bot?.userId ?? null,
        json: JSON.stringify(installation),
        at: now().toISOString(),
      });
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const ids = { teamId: query.teamId, enterpriseId: query.enterpriseId };
      if (!isSlackTeamAllowed(allowed, ids)) throw new SlackTeamNotAllowed(ids);
      const row = select.get(keyOf(query)) as { installation: string } | undefined;
      if (!row) throw new Error(`no Slack installation for ${keyOf(query)}`);
      return JSON.parse(row.installation) as Installation<'v1' | 'v2', boolean>;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      remove.run(keyOf(query));
    },
    count() {
      return (count.get() as { n: number }).n;
    },
  };
}
