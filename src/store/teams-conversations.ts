/**
 * Teams conversation references in the store (SQLite or PostgreSQL: src/store/sql/): saved when the bot is added to a team or chat
 * (conversationUpdate / installationUpdate) and on every message, used later to post digests and
 * alerts proactively (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/send-proactive-messages).
 */
import { z } from 'zod';
import { migrate, type Db } from './db.js';
import { TEAMS_MIGRATIONS } from './migrations/teams.js';
import { sqliteSql } from './sql/sqlite.js';
import type { SqlDb } from './sql/types.js';

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

/**
 * On a better-sqlite3 connection the Teams migrations are applied here (they have their own list);
 * a SqlDb (PostgreSQL) is migrated by whoever opened it (src/store/sql/migrate.ts).
 */
export function createTeamsConversationStore(conn: SqlDb | Db, now: () => Date = () => new Date()) {
  let db: SqlDb;
  if ('prepare' in conn) {
    migrate(conn, TEAMS_MIGRATIONS);
    db = sqliteSql(conn);
  } else db = conn;

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
    async save(reference: unknown, teamId: string | null = null): Promise<TeamsReference> {
      const ref = teamsReferenceSchema.parse(reference);
      // a reply-chain id (19:…;messageid=…) is a thread, not the conversation: store the channel
      const id = ref.conversation.id.split(';messageid=')[0]!;
      const stored: TeamsReference = { ...ref, conversation: { ...ref.conversation, id } };
      delete stored.activityId;
      const at = now().toISOString();
      await db.run(
        `INSERT INTO teams_conversations (conversation_id, conversation_type, tenant_id, team_id, service_url, reference, installed_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (conversation_id) DO UPDATE SET conversation_type = excluded.conversation_type, tenant_id = excluded.tenant_id,
           team_id = COALESCE(excluded.team_id, teams_conversations.team_id), service_url = excluded.service_url,
           reference = excluded.reference, updated_at = excluded.updated_at`,
        [id, ref.conversation.conversationType ?? null, ref.conversation.tenantId ?? null, teamId, ref.serviceUrl, JSON.stringify(stored), at, at],
      );
      return stored;
    },
    async get(conversationId: string): Promise<StoredTeamsConversation | null> {
      const row = await db.get<Row>('SELECT * FROM teams_conversations WHERE conversation_id = ?', [conversationId]);
      return row ? fromRow(row) : null;
    },
    async list(): Promise<StoredTeamsConversation[]> {
      return (await db.all<Row>('SELECT * FROM teams_conversations ORDER BY conversation_id')).map(fromRow);
    },
    async remove(conversationId: string): Promise<void> {
      await db.run('DELETE FROM teams_conversations WHERE conversation_id = ?', [conversationId]);
    },
    /** Keeps a posted card (one with an Apply button) so it can be edited later; prunes old ones. */
    async rememberCard(activityId: string, card: object): Promise<void> {
      const at = now().getTime();
      await db.run('INSERT INTO teams_cards (activity_id, card, posted_at) VALUES (?, ?, ?) ON CONFLICT (activity_id) DO UPDATE SET card = excluded.card, posted_at = excluded.posted_at', [activityId, JSON.stringify(card), at]);
      await db.run('DELETE FROM teams_cards WHERE posted_at < ? OR activity_id NOT IN (SELECT activity_id FROM teams_cards ORDER BY posted_at DESC LIMIT ?)', [at - CARD_DAYS * 86_400_000, MAX_CARDS]);
    },
    /** The card posted as `activityId`, or null (never kept, pruned, or unreadable). */
    async card(activityId: string): Promise<Record<string, unknown> | null> {
      const row = await db.get<{ card: string }>('SELECT card FROM teams_cards WHERE activity_id = ?', [activityId]);
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
