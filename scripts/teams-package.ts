/**
 * `npm run teams:package [-- --app-id GUID --domain HOST]` → teams/dlt-doctor-teams.zip: the Teams
 * app package (manifest.json, color.png 192×192, outline.png 32×32) to upload in the Teams admin
 * center or sideload. The app id (the Azure Bot's Microsoft App ID, a SingleTenant registration) and
 * the bot's public host replace the placeholders of teams/manifest.json in the zip only.
 * `--icons` regenerates the two PNGs first. Zip: src/util/zip.ts; PNG: RFC 2083. Only node:zlib, no dependency.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../src/util/crc32.js';
import { zip } from '../src/util/zip.js';

const TEAMS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'teams');
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_DOMAIN = 'dlt-doctor.example.com';

// the manifest test checks the PNG chunks' CRCs with the same function
export { crc32 };

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** An RGBA PNG of `size`×`size` where `pixel(x, y)` gives [r, g, b, a]. */
export function png(size: number, pixel: (x: number, y: number) => [number, number, number, number]): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** The mark: a ring with a heartbeat line through it (white), scaled to `size`. */
function mark(x: number, y: number, size: number): boolean {
  const c = (size - 1) / 2;
  const r = Math.hypot(x - c, y - c) / size;
  const ring = r > 0.3 && r < 0.38;
  const u = x / size;
  const v = y / size;
  const beat = u < 0.35 ? 0.5 : u < 0.45 ? 0.5 - (u - 0.35) * 2.5 : u < 0.55 ? 0.25 + (u - 0.45) * 5 : u < 0.65 ? 0.75 - (u - 0.55) * 2.5 : 0.5;
  const line = u > 0.12 && u < 0.88 && Math.abs(v - beat) < 0.035 * (size < 64 ? 1.6 : 1);
  return ring || line;
}

export function colorIcon(): Buffer {
  return png(192, (x, y) => (mark(x, y, 192) ? [255, 255, 255, 255] : [0x1b, 0x3a, 0x57, 255]));
}

/** Teams wants the outline icon white on transparent (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package#app-icons). */
export function outlineIcon(): Buffer {
  return png(32, (x, y) => (mark(x, y, 32) ? [255, 255, 255, 255] : [0, 0, 0, 0]));
}

export interface PackageOptions {
  /** the Azure Bot's Microsoft App ID (client id of the SingleTenant app registration) */
  appId?: string | null;
  /** the public host of the messaging endpoint, e.g. dlt-doctor.acme.com */
  domain?: string | null;
  dir?: string;
}

export function buildTeamsPackage(o: PackageOptions = {}): { zip: Buffer; manifest: Record<string, unknown>; warnings: string[] } {
  const dir = o.dir ?? TEAMS_DIR;
  let text = readFileSync(join(dir, 'manifest.json'), 'utf8');
  const warnings: string[] = [];
  if (o.appId) {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(o.appId)) throw new Error(`--app-id must be the bot's Microsoft App ID (a GUID), got "${o.appId}"`);
    text = text.split(PLACEHOLDER_ID).join(o.appId.toLowerCase());
  } else {
    warnings.push('no --app-id: the package keeps the placeholder app id and will not reach your bot');
  }
  if (o.domain) {
    if (!/^[a-z0-9.-]+$/i.test(o.domain)) throw new Error(`--domain must be a host name like dlt-doctor.acme.com, got "${o.domain}"`);
    text = text.split(PLACEHOLDER_DOMAIN).join(o.domain.toLowerCase());
  } else {
    warnings.push('no --domain: validDomains keeps the placeholder host');
  }
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const files = { 'manifest.json': Buffer.from(text), 'color.png': readFileSync(join(dir, 'color.png')), 'outline.png': readFileSync(join(dir, 'outline.png')) };
  return { zip: zip(files), manifest, warnings };
}

function arg(name: string): string | null {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? null) : null;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--icons')) {
    writeFileSync(join(TEAMS_DIR, 'color.png'), colorIcon());
    writeFileSync(join(TEAMS_DIR, 'outline.png'), outlineIcon());
  }
  // a script is an entry point: it may read the environment (TEAMS_APP_ID as in .env)
  const appId = arg('app-id') ?? process.env.TEAMS_APP_ID ?? null;
  const domain = arg('domain') ?? process.env.TEAMS_BOT_DOMAIN ?? null;
  try {
    const out = join(TEAMS_DIR, 'dlt-doctor-teams.zip');
    const built = buildTeamsPackage({ appId, domain });
    writeFileSync(out, built.zip);
    for (const w of built.warnings) console.warn(`warning: ${w}`);
    console.log(`wrote ${out} (${built.zip.length} bytes): upload it in Teams (Apps → Manage your apps → Upload an app) or the Teams admin center.`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  }
}
