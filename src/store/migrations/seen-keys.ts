/** Request keys seen lately, shared by every replica (ids 6xx): src/store/seen-keys.ts. */
import type { Migration } from './index.js';

export const SEEN_KEY_MIGRATIONS: Migration[] = [
  {
    id: '600-seen-keys',
    sql: `
      -- scope: 'slack-signature' (replay guard) | 'teams-activity' (Bot Connector redelivery)
      CREATE TABLE IF NOT EXISTS seen_keys (
        scope    TEXT NOT NULL,
        key      TEXT NOT NULL,
        seen_at  INTEGER NOT NULL,               -- epoch ms; older than the scope's ttl: free again
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX IF NOT EXISTS seen_keys_age ON seen_keys (seen_at);
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS seen_keys (
        scope    TEXT NOT NULL,
        key      TEXT NOT NULL,
        seen_at  BIGINT NOT NULL,
        PRIMARY KEY (scope, key)
      );
      CREATE INDEX IF NOT EXISTS seen_keys_age ON seen_keys (seen_at);
    `,
  },
];
