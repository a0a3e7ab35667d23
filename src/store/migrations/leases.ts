/** The scheduler lease (ids 4xx): src/store/lease.ts. */
import type { Migration } from './index.js';

export const LEASE_MIGRATIONS: Migration[] = [
  {
    id: '400-leases',
    sql: `
      -- one row per lease name; the holder is the process id string of whoever holds it
      CREATE TABLE IF NOT EXISTS leases (
        name        TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        expires_at  INTEGER NOT NULL              -- epoch ms; an expired lease can be taken
      );
    `,
    postgres: `
      CREATE TABLE IF NOT EXISTS leases (
        name        TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        expires_at  BIGINT NOT NULL
      );
    `,
  },
];
