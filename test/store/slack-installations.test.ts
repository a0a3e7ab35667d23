import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Installation } from '@slack/bolt';
import { migrate, openDb } from '../../src/store/db.js';
import { createSlackInstallationStore } from '../../src/store/slack-installations.js';
import { teamInstall } from '../support/slack-install.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('store', () => {
  it('opens a file database in WAL mode and applies migrations once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlt-store-'));
    dirs.push(dir);
    const db = openDb(join(dir, 'nested', 'doctor.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const applied = db.prepare('SELECT id FROM migrations').all() as { id: string }[];
    expect(applied.map((r) => r.id)).toContain('001-slack-installations');
    expect(migrate(db)).toEqual([]);
    expect(migrate(db, [{ id: '999-test', sql: 'CREATE TABLE t (x INTEGER)' }])).toEqual(['999-test']);
    expect(migrate(db, [{ id: '999-test', sql: 'CREATE TABLE t (x INTEGER)' }])).toEqual([]);
    db.close();
  });

  it('a failing migration is rolled back and not recorded', () => {
    const db = openDb(':memory:');
    expect(() => migrate(db, [{ id: '998-bad', sql: 'CREATE TABLE ok1 (x INTEGER); CREATE TABLE broken (' }])).toThrow();
    expect(db.prepare("SELECT COUNT(*) AS n FROM migrations WHERE id = '998-bad'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'ok1'").get()).toEqual({ n: 0 });
  });

  it('stores, replaces, fetches and deletes installations by team and by enterprise', async () => {
    const db = openDb(':memory:');
    const store = createSlackInstallationStore(db);
    await store.storeInstallation(teamInstall('T1', 'xoxb-1'));
    await store.storeInstallation(teamInstall('T2', 'xoxb-2'));
    await store.storeInstallation(teamInstall('T1', 'xoxb-1b')); // reinstall replaces
    expect(await store.count()).toBe(2);
    const t1 = await store.fetchInstallation({ teamId: 'T1', enterpriseId: undefined, isEnterpriseInstall: false });
    expect(t1.bot?.token).toBe('xoxb-1b');

    const org: Installation<'v2', true> = { ...teamInstall('T9', 'xoxb-org'), team: undefined, enterprise: { id: 'E1', name: 'Acme' }, isEnterpriseInstall: true } as unknown as Installation<'v2', true>;
    await store.storeInstallation(org);
    // an org-wide install answers for any team of the enterprise
    const viaOrg = await store.fetchInstallation({ teamId: 'T-any', enterpriseId: 'E1', isEnterpriseInstall: true });
    expect(viaOrg.bot?.token).toBe('xoxb-org');

    await store.deleteInstallation!({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false });
    await expect(store.fetchInstallation({ teamId: 'T2', enterpriseId: undefined, isEnterpriseInstall: false })).rejects.toThrow('no Slack installation');
    expect(await store.count()).toBe(2);
  });
});
