/**
 * The local console's channels and threads across restarts (issue 17 item 4): every message the
 * console's fake Slack holds (not the ephemeral ones, which Slack does not keep either) and the
 * uploaded chart files, written through as they change, read back at start. So `#pipeline-alerts`
 * still shows its alert threads, and a diagnosis its thread, after `npm start` is run again.
 */
import { z } from 'zod';
import type { Db } from './db.js';
import { migrate } from './db.js';
import type { Migration } from './migrations/index.js';

export const CONSOLE_MIGRATIONS: Migration[] = [
  {
    id: '500-console-messages',
    sql: `
      CREATE TABLE IF NOT EXISTS console_messages (
        channel TEXT NOT NULL,
        ts      TEXT NOT NULL,               -- Slack-style seconds.micros, unique per console
        body    TEXT NOT NULL,               -- the message as JSON (text, blocks, thread_ts, files, …)
        PRIMARY KEY (channel, ts)
      );
      CREATE TABLE IF NOT EXISTS console_files (
        id    TEXT PRIMARY KEY,
        meta  TEXT NOT NULL,                 -- name, title, mimetype, url, alt_text as JSON
        bytes BLOB
      );
    `,
  },
];

/** what a stored row must look like to be shown again (a row from another version is skipped, not fatal) */
const StoredMessage = z.looseObject({ channel: z.string(), ts: z.string(), user: z.string(), text: z.string(), blocks: z.array(z.unknown()) });
const StoredFileMeta = z.object({ id: z.string(), name: z.string(), title: z.string(), mimetype: z.string(), url: z.string(), alt_text: z.string().optional() });

export interface ConsolePersistence {
  load(): { messages: Record<string, unknown>[]; files: { meta: z.infer<typeof StoredFileMeta>; bytes: Buffer | null }[] };
  saveMessage(m: { channel: string; ts: string }): void;
  deleteMessage(channel: string, ts: string): void;
  saveFile(meta: z.infer<typeof StoredFileMeta>, bytes: Buffer | null): void;
}

export function createConsolePersistence(db: Db): ConsolePersistence {
  migrate(db, CONSOLE_MIGRATIONS);
  const q = {
    all: db.prepare('SELECT body FROM console_messages ORDER BY ts'),
    files: db.prepare('SELECT meta, bytes FROM console_files'),
    save: db.prepare('INSERT INTO console_messages (channel, ts, body) VALUES (?, ?, ?) ON CONFLICT (channel, ts) DO UPDATE SET body = excluded.body'),
    remove: db.prepare('DELETE FROM console_messages WHERE channel = ? AND ts = ?'),
    saveFile: db.prepare('INSERT INTO console_files (id, meta, bytes) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET meta = excluded.meta, bytes = coalesce(excluded.bytes, console_files.bytes)'),
  };
  const parsed = <T>(schema: z.ZodType<T>, text: string): T | null => {
    try {
      const r = schema.safeParse(JSON.parse(text));
      return r.success ? r.data : null;
    } catch {
      return null;
    }
  };
  return {
    load() {
      const messages = (q.all.all() as { body: string }[]).map((r) => parsed(StoredMessage, r.body)).filter((m): m is z.infer<typeof StoredMessage> => m !== null);
      const files = (q.files.all() as { meta: string; bytes: Buffer | null }[]).flatMap((r) => {
        const meta = parsed(StoredFileMeta, r.meta);
        return meta ? [{ meta, bytes: r.bytes }] : [];
      });
      return { messages, files };
    },
    saveMessage(m) {
      q.save.run(m.channel, m.ts, JSON.stringify(m));
    },
    deleteMessage(channel, ts) {
      q.remove.run(channel, ts);
    },
    saveFile(meta, bytes) {
      q.saveFile.run(meta.id, JSON.stringify(meta), bytes);
    },
  };
}
