/**
 * Who may apply (DLT_DOCTOR_APPLY_ALLOWED_USERS), namespaced by platform so an id from one never
 * matches on the other (issue 15 item 6):
 *   slack:U0123ABCD   a Slack user id (U… or W… for Enterprise Grid)
 *   teams:<guid>      a Teams user's Entra object id (activity.from.aadObjectId), accepted only from
 *                     an activity of the msteams channel (activity.channelId) whose tenant
 *                     (channelData.tenant.id / conversation.tenantId) is TEAMS_TENANT_ID or one of
 *                     TEAMS_ALLOWED_TENANT_IDS
 *   U0123ABCD         (bare, from before the prefixes) a Slack id only; logged once at start, so the
 *                     admin adds `slack:`. A bare entry that is not Slack-shaped matches nobody.
 * Teams activity fields: https://learn.microsoft.com/en-us/microsoftteams/platform/bots/how-to/conversations/conversation-messages
 * (from.aadObjectId, channelData.tenant.id); channelId 'msteams' is the Bot Framework channel of Teams.
 */

/** Slack user ids: U… (workspace) or W… (Enterprise Grid org user). */
/** (an underscore is allowed for the console operator's synthetic U_CONSOLE and test fixtures) */
export const SLACK_USER_ID = /^[UW][A-Z0-9_]{2,}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ApplyActor =
  | { platform: 'slack'; userId: string }
  | { platform: 'teams'; aadObjectId: string | null; tenantId: string | null; channelId: string | null };

export interface AllowList {
  allows(actor: ApplyActor): boolean;
  /** bare entries kept for compatibility (matched as Slack ids) */
  bare: string[];
  /** entries that match nobody (a bare id that is not Slack-shaped) */
  ignored: string[];
}

/** Config-time check of one entry: null when fine, else why not. */
export function allowEntryProblem(entry: string): string | null {
  const m = /^([a-z]+):(.*)$/i.exec(entry);
  if (!m) return null; // bare: a Slack id when Slack-shaped, else ignored with a warning
  const [, prefix, id] = m as unknown as [string, string, string];
  if (prefix.toLowerCase() === 'slack') return SLACK_USER_ID.test(id) ? null : `"${entry.slice(0, 60)}" is not a Slack user id (slack:U… or slack:W…)`;
  if (prefix.toLowerCase() === 'teams') return GUID.test(id) ? null : `"${entry.slice(0, 60)}" is not a Teams user's Entra object id (teams:<GUID>)`;
  return `"${entry.slice(0, 60)}" has an unknown prefix (use slack:<user id> or teams:<Entra object id>)`;
}

export function createAllowList(entries: readonly string[], o: { teamsTenants: readonly string[] }): AllowList {
  const slack = new Set<string>();
  const teams = new Set<string>();
  const bare: string[] = [];
  const ignored: string[] = [];
  for (const e of entries) {
    const m = /^([a-z]+):(.*)$/i.exec(e);
    if (!m) {
      if (SLACK_USER_ID.test(e)) {
        slack.add(e);
        bare.push(e);
      } else ignored.push(e);
      continue;
    }
    const prefix = m[1]!.toLowerCase();
    if (prefix === 'slack') slack.add(m[2]!);
    else if (prefix === 'teams') teams.add(m[2]!.toLowerCase());
    else ignored.push(e);
  }
  const tenants = new Set(o.teamsTenants.map((t) => t.toLowerCase()));
  return {
    bare,
    ignored,
    allows(actor) {
      if (actor.platform === 'slack') return slack.has(actor.userId);
      return Boolean(
        actor.channelId === 'msteams' && actor.aadObjectId && actor.tenantId && tenants.has(actor.tenantId.toLowerCase()) && teams.has(actor.aadObjectId.toLowerCase()),
      );
    },
  };
}

/** The one-time start-up warning about bare and unusable entries; null when there is nothing to say. */
export function allowListWarning(list: AllowList): string | null {
  const parts: string[] = [];
  if (list.bare.length) parts.push(`${list.bare.length} entr${list.bare.length === 1 ? 'y has' : 'ies have'} no prefix and match${list.bare.length === 1 ? 'es' : ''} Slack users only: write them as slack:<id> (Teams users as teams:<Entra object id>)`);
  if (list.ignored.length) parts.push(`${list.ignored.length} entr${list.ignored.length === 1 ? 'y matches' : 'ies match'} nobody (not a Slack id; Teams users need teams:<Entra object id>)`);
  return parts.length ? `DLT_DOCTOR_APPLY_ALLOWED_USERS: ${parts.join('; ')}. See docs/security.md.` : null;
}
