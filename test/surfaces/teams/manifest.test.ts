/**
 * teams/manifest.json: the fields Teams requires (schema v1.19), the bot's commandLists equal to the
 * command layer's chat commands (but MENU_OMITTED), the icons' sizes, and the zip `npm run teams:package` builds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { COMMANDS } from '../../../commands/index.js';
import { buildTeamsPackage, crc32, PLACEHOLDER_ID } from '../../../scripts/teams-package.js';

const manifest = JSON.parse(readFileSync(new URL('../../../teams/manifest.json', import.meta.url), 'utf8'));
/** Commands that only make sense in a terminal (they refuse in chat), so Teams does not suggest them. */
const TERMINAL_ONLY = new Set(['export']);
/**
 * Chat commands the menu leaves out: a command list holds at most 10 commands
 * (https://learn.microsoft.com/en-us/microsoftteams/platform/resources/schema/manifest-schema#botscommandlists).
 * benchmark and ab-test (issue 18) create pipelines and spend compute, for allowed users only; they
 * work when typed and `help` lists them.
 */
const MENU_OMITTED = new Set(['benchmark', 'ab-test']);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function pngSize(buf: Buffer): { width: number; height: number; colorType: number } {
  expect(buf.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(buf.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20), colorType: buf[25]! };
}

async function unzip(buf: Buffer): Promise<Record<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.fromBuffer(buf, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z!))));
  const out: Record<string, Buffer> = {};
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          out[entry.fileName] = Buffer.concat(chunks);
          zip.readEntry();
        });
      });
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  return out;
}

describe('teams/manifest.json', () => {
  it('has the fields the v1.19 schema requires', () => {
    expect(manifest.$schema).toMatch(/teams\/v1\.(19|2\d)\/MicrosoftTeams\.schema\.json$/);
    expect(Number(manifest.manifestVersion.split('.')[1])).toBeGreaterThanOrEqual(19);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.id).toMatch(GUID);
    for (const k of ['name', 'websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[k]).toBeTruthy();
    for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) expect(manifest.developer[k]).toMatch(/^https:\/\//);
    expect(manifest.name.short.length).toBeLessThanOrEqual(30);
    expect(manifest.name.full.length).toBeLessThanOrEqual(100);
    expect(manifest.description.short.length).toBeLessThanOrEqual(80);
    expect(manifest.description.full.length).toBeLessThanOrEqual(4000);
    expect(manifest.icons).toEqual({ color: 'color.png', outline: 'outline.png' });
    expect(manifest.accentColor).toMatch(/^#[0-9A-Fa-f]{6}$/);
    expect(manifest.validDomains.length).toBeGreaterThan(0);
    const [bot] = manifest.bots;
    expect(bot.botId).toMatch(GUID);
    expect(bot.scopes).toEqual(expect.arrayContaining(['personal', 'team', 'groupChat']));
  });

  it('lists exactly the chat commands of the command layer, in order, within Teams limits', () => {
    const [bot] = manifest.bots;
    expect(bot.commandLists).toHaveLength(1);
    const { commands } = bot.commandLists[0];
    const expected = COMMANDS.filter((c) => !TERMINAL_ONLY.has(c.meta.name) && !MENU_OMITTED.has(c.meta.name));
    // an omitted name is a real chat command (not a stale entry)
    for (const name of MENU_OMITTED) expect(COMMANDS.some((c) => c.meta.name === name)).toBe(true);
    expect(commands.length).toBeLessThanOrEqual(10); // Teams: at most 10 commands per list
    expect(commands.map((c: { title: string }) => c.title)).toEqual(expected.map((c) => c.meta.name));
    for (const [i, c] of expected.entries()) {
      expect(commands[i].description).toBe(c.meta.summary.slice(0, 128));
      expect(commands[i].title.length).toBeLessThanOrEqual(32);
    }
  });

  it('has a 192×192 color icon and a 32×32 outline icon with transparency', () => {
    const color = pngSize(readFileSync(new URL('../../../teams/color.png', import.meta.url)));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readFileSync(new URL('../../../teams/outline.png', import.meta.url));
    const o = pngSize(outline);
    expect([o.width, o.height]).toEqual([32, 32]);
    expect(o.colorType).toBe(6); // RGBA: the outline's background is transparent
  });
});

describe('npm run teams:package', () => {
  it('zips manifest.json and both icons with the app id and domain filled in', async () => {
    const appId = '3f1c9a2e-8b7d-4e21-9c55-0a1b2c3d4e5f';
    const built = buildTeamsPackage({ appId, domain: 'dlt-doctor.acme.com' });
    expect(built.warnings).toEqual([]);
    const files = await unzip(built.zip);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const m = JSON.parse(files['manifest.json']!.toString('utf8'));
    expect(m.id).toBe(appId);
    expect(m.bots[0].botId).toBe(appId);
    expect(m.validDomains).toEqual(['dlt-doctor.acme.com']);
    expect(JSON.stringify(m)).not.toContain(PLACEHOLDER_ID);
    expect(files['color.png']).toEqual(readFileSync(new URL('../../../teams/color.png', import.meta.url)));
  });

  it('refuses an app id that is not a GUID, and warns when the placeholders stay', () => {
    expect(() => buildTeamsPackage({ appId: 'my-bot' })).toThrow(/GUID/);
    expect(buildTeamsPackage({}).warnings).toHaveLength(2);
  });

  it('crc32 matches the reference value of the zip/PNG polynomial', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
