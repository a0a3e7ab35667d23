/**
 * Teams conversation references (src/store/teams-conversations.ts). Their own list with their own
 * ids ("2xx-teams-…") so they never collide with other migrations; `createTeamsConversationStore`
 * applies them (migrate() is idempotent), and MIGRATIONS may include them too.
 */
import type { Migration } from './index.js';

export const TEAMS_MIGRATIONS: Migration[] = [
  {
    id: '201-teams-conversations',
    sql: `
      CREATE TABLE IF NOT EXISTS teams_conversations (
        conversation_id   TEXT PRIMARY KEY,        -- Bot Framework conversation id (channel: 19:…@thread.tacv2)
        conversation_type TEXT,                    -- personal | groupChat | channel
        tenant_id         TEXT,
        team_id           TEXT,
        service_url       TEXT NOT NULL,
        reference         TEXT NOT NULL,           -- the ConversationReference as JSON
        installed_at      TEXT NOT NULL,
        updated_at        TEXT NOT NULL
      );
    `,
  },
];
