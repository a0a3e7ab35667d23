/**
 * Limits on what reading one evidence bundle may cost (docs/security.md, "Hostile bundles"). A
 * bundle comes from outside (a ticket, an upload): a zip bomb, a 600 MB line or millions of
 * distinct update ids must end in BAD_BUNDLE with one line naming the limit, never in an
 * out-of-memory abort. Defaults here; the CLI reads overrides from DLT_DOCTOR_BUNDLE_* once, at
 * the configuration edge (src/config.ts), and passes them down.
 */
import { badBundle, type DoctorError } from '../errors.js';

export interface BundleLimits {
  /** decompressed bytes read across all entries (for a .tar.gz: every entry, read or skipped) */
  maxBytes: number;
  /** entries in the archive / names in the folder */
  maxEntries: number;
  /** bytes in one line of a .jsonl file */
  maxLineBytes: number;
  /** bytes of one whole-JSON file (pipeline.json, updates.json, events.json, …) */
  maxJsonBytes: number;
  /** distinct update ids in the events */
  maxUpdates: number;
  /** rows of node_timeline.jsonl, usage.jsonl and list_prices.jsonl, each */
  maxRows: number;
}

const MiB = 1 << 20;

export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxBytes: 1024 * MiB,
  maxEntries: 10_000,
  maxLineBytes: 16 * MiB,
  maxJsonBytes: 64 * MiB,
  maxUpdates: 20_000,
  maxRows: 1_000_000,
});

/** the environment variable that raises each limit (parsed in src/config.ts) */
export const BUNDLE_LIMIT_ENV = Object.freeze({
  maxBytes: 'DLT_DOCTOR_BUNDLE_MAX_BYTES',
  maxEntries: 'DLT_DOCTOR_BUNDLE_MAX_ENTRIES',
  maxLineBytes: 'DLT_DOCTOR_BUNDLE_MAX_LINE_BYTES',
  maxJsonBytes: 'DLT_DOCTOR_BUNDLE_MAX_JSON_BYTES',
  maxUpdates: 'DLT_DOCTOR_BUNDLE_MAX_UPDATES',
  maxRows: 'DLT_DOCTOR_BUNDLE_MAX_ROWS',
} as const satisfies Record<keyof BundleLimits, string>);

export function resolveLimits(partial: Partial<BundleLimits> | undefined): BundleLimits {
  const out: BundleLimits = { ...DEFAULT_BUNDLE_LIMITS };
  for (const k of Object.keys(out) as (keyof BundleLimits)[]) {
    const v = partial?.[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** 16777216 → "16 MiB", 1073741824 → "1 GiB", 1000 → "1000 bytes" */
export function formatBytes(n: number): string {
  if (n >= 1 << 30 && n % (1 << 30) === 0) return `${n / (1 << 30)} GiB`;
  if (n >= MiB && n % MiB === 0) return `${n / MiB} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/**
 * The BAD_BUNDLE error for a breached limit: one short line (it must fit the CLI's 80 columns)
 * that says what was too big and which variable raises it.
 */
export function limitExceeded(limit: keyof BundleLimits, what: string): DoctorError {
  return badBundle(`${what}; raise ${BUNDLE_LIMIT_ENV[limit]}`);
}

/** Decompressed bytes left for the whole bundle, shared by every entry read. */
export class ByteBudget {
  private used = 0;
  constructor(readonly max: number) {}

  get bytes(): number {
    return this.used;
  }

  /** count `n` more bytes; throws the limit error once the total passes `max` */
  take(n: number): void {
    this.used += n;
    if (this.used > this.max) throw limitExceeded('maxBytes', `bundle inflates to over ${formatBytes(this.max)}`);
  }
}

/**
 * The chunks of `source`, each counted against `budget` before it is handed on. Stopping early
 * (a throw here or in the consumer) destroys `source`, so an inflater stops inflating.
 */
export async function* metered(source: AsyncIterable<Buffer | string>, budget: ByteBudget): AsyncGenerator<Buffer> {
  for await (const c of source) {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    budget.take(b.length);
    yield b;
  }
}

/** a line of `file` over `max` bytes (maxLineBytes): the line splitter and the offline workspace's copy and scan say the same */
export const lineTooLong = (file: string, max: number): DoctorError => limitExceeded('maxLineBytes', `${file} has a line over ${formatBytes(max)}`);
