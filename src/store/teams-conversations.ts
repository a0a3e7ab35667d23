/**
 * Teams conversation references in SQLite: saved when the bot is added to a team or chat
 * (conversationUpdate / installationUpdate) and on every message, used later to post digests and
 * alerts proactively (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages).
 */
import { z } from 'zod';
import { migrate, type Db } from './db.js';
import { TEAMS_MIGRATIONS } from './migrations/teams.js';

/** The fields of a Bot Framework ConversationReference that proactive messaging needs. */
export const teamsReferenceSchema = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.string().url(),
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
    name: z.string().optional(),
  }),
  agent: z.looseObject({ id: z.string(), name: z.string().optional() }).nullish(),
  user: z.looseObject({ id: z.string(), name: z.string().optional() }).nullish(),
  activityId: z.string().optional(),
  locale: z.string().optional(),
});
export type TeamsReference = z.infer<typeof teamsReferenceSchema>;

export interface StoredTeamsConversation {
  conversationId: string;
  conversationType: string | null;
  tenantId: string | null;
  teamId: string | null;
  reference: TeamsReference;
  installedAt: string;
  updatedAt: string;
}

interface Row {
  conversation_id: string;
  conversation_type: string | null;
  tenant_id: string | null;
  team_id: string | null;
  reference: string;
  installed_at: string;
  updated_at: string;
}

/** how long, and how many, posted cards are kept for editing */
const CARD_DAYS = 14;
const MAX_CARDS = 5000;

export function createTeamsConversationStore(db: Db, now: () => Date = () => new Date()) {
  migrate(db, TEAMS_MIGRATIONS);
  const upsert = db.prepare(`
    INSERT INTO teams_conversations (conversation_id, conversation_type, tenant_id, team_id, service_url, reference, installed_at, updated_at)
    VALUES (@id, @type, @tenant, @team, @serviceUrl, @json, @at, @at)
    ON CONFLICT(conversation_id) DO UPDATE SET conversation_type = excluded.conversation_type, tenant_id = excluded.tenant_id,
      team_id = COALESCE(excluded.team_id, teams_conversations.team_id), service_url = excluded.service_url,
      reference = excluded.reference, updated_at = excluded.updated_at`);
  const select = db.prepare('SELECT * FROM teams_conversations WHERE conversation_id = ?');
  const all = db.prepare('SELECT * FROM teams_conversations ORDER BY conversation_id');
  const remove = db.prepare('DELETE FROM teams_conversations WHERE conversation_id = ?');
  const putCard = db.prepare('INSERT INTO teams_cards (activity_id, card, posted_at) VALUES (?, ?, ?) ON CONFLICT(activity_id) DO UPDATE SET card = excluded.card, posted_at = excluded.posted_at');
  const getCard = db.prepare('SELECT card FROM teams_cards WHERE activity_id = ?');
  const pruneCards = db.prepare('DELETE FROM teams_cards WHERE posted_at < ? OR activity_id NOT IN (SELECT activity_id FROM teams_cards ORDER BY posted_at DESC LIMIT ?)');

  const fromRow = (r: Row): StoredTeamsConversation => ({
    conversationId: r.conversation_id,
    conversationType: r.conversation_type,
    tenantId: r.tenant_id,
    teamId: r.team_id,
    reference: teamsReferenceSchema.parse(JSON.parse(r.reference)),
    installedAt: r.installed_at,
    updatedAt: r.updated_at,
  });

  return {
    /** Saves (or refreshes) a reference; the service URL of a conversation can change, so the newest wins. */
    save(reference: unknown, teamId: string | null = null): TeamsReference {
      const ref = teamsReferenceSchema.parse(reference);
      // a reply-chain id (19:…;messageid=…) is a thread, not the conversation: store the channel
      const id = ref.conversation.id.split(';messageid=')[0]!;
      const stored: TeamsReference = { ...ref, conversation: { ...ref.conversation, id } };
      delete stored.activityId;
      upsert.run({
        id,
        type: ref.conversation.conversationType ?? null,
        tenant: ref.conversation.tenantId ?? null,
        team: teamId,
        serviceUrl: ref.serviceUrl,
        json: JSON.stringify(stored),
        at: now().toISOString(),
      });
      return stored;
    },
    get(conversationId: string): StoredTeamsConversation | null {
      const row = select.get(conversationId) as Row | undefined;
      return row ? fromRow(row) : null;
    },
    list(): StoredTeamsConversation[] {
      return (all.all() as Row[]).map(fromRow);
    },
    remove(conversationId: string): void {
      remove.run(conversationId);
    },
    /** Keeps a posted card (one with an Apply button) so it can be edited later; prunes old ones. */
    rememberCard(activityId: string, card: object): void {
      const at = now().getTime();
      putCard.run(activityId, JSON.stringify(card), at);
      pruneCards.run(at - CARD_DAYS * 86_400_000, MAX_CARDS);
    },
    /** The card posted as `activityId`, or null (never kept, pruned, or unreadable). */
    card(activityId: string): Record<string, unknown> | null {
      const row = getCard.get(activityId) as { card: string } | undefined;
      if (!row) return null;
      try {
        const v = JSON.parse(row.card) as unknown;
        return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
      } catch {
        return null;
      }
    },
  };
}
export type TeamsConversationStore = ReturnType<typeof createTeamsConversationStore>;
