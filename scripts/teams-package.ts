/**
 * `npm run teams:package [-- --app-id GUID --domain HOST]` → teams/dlt-doctor-teams.zip: the Teams
 * app package (manifest.json, color.png 192×192, outline.png 32×32) to upload in the Teams admin
 * center or sideload. The app id (the Azure Bot's Microsoft App ID, a SingleTenant registration) and
 * the bot's public host replace the placeholders of teams/manifest.json in the zip only.
 * `--icons` regenerates the two PNGs first. Zip: PKWARE APPNOTE.TXT §4.3 (deflate, no zip64);
 * PNG: RFC 2083. Only node:zlib, no dependency.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, deflateSync } from 'node:zlib';

const TEAMS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'teams');
export const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
export const PLACEHOLDER_DOMAIN = 'dlt-doctor.example.com';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip of the given files (deflated), as a Buffer. */
export function zip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  // a fixed DOS timestamp (1980-01-01 00:00) keeps the package byte-for-byte reproducible
  const time = 0;
  const date = (0 << 9) | (1 << 5) | 1;
  for (const [name, data] of Object.entries(files)) {
    const packed = deflateRawSync(data);
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // utf-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBuf, packed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + packed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

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
