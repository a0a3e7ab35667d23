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
  {
    // The cards the bot posted that carry an Apply button, by activity id: Teams cannot read a
    // message back, so the card a fix was applied from is edited from this copy ("✓ Applied by …",
    // issue 17 item 3). Kept 14 days, at most 5,000 (pruned on write).
    id: '202-teams-cards',
    sql: `
      CREATE TABLE IF NOT EXISTS teams_cards (
        activity_id TEXT PRIMARY KEY,
        card        TEXT NOT NULL,                 -- the Adaptive Card as JSON
        posted_at   INTEGER NOT NULL               -- epoch ms
      );
      CREATE INDEX IF NOT EXISTS teams_cards_posted ON teams_cards (posted_at);
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS teams_cards (
        activity_id TEXT PRIMARY KEY,
        card        TEXT NOT NULL,
        posted_at   BIGINT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS teams_cards_posted ON teams_cards (posted_at);
    `,
  },
];
