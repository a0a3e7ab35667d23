/**
 * Schema migrations, applied in order by `migrate` (db.ts). Append new entries with the next
 * number; never edit one that has shipped. Each runs once, inside a transaction, and is recorded
 * in the `migrations` table.
 */
export interface Migration {
  id: string; // "NNN-name"
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    id: '001-slack-installations',
    sql: `
      CREATE TABLE IF NOT EXISTS slack_installations (
        install_key   TEXT PRIMARY KEY,           -- enterprise id for org-wide installs, else team id
        enterprise_id TEXT,
        team_id       TEXT,
        is_enterprise INTEGER NOT NULL DEFAULT 0,
        bot_user_id   TEXT,
        installation  TEXT NOT NULL,               -- the Installation object as JSON
        installed_at  TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      );
    `,
  },
];
