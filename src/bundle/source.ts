/**
 * A Source over one evidence bundle (CONTRACT.md §1): one pipeline, the updates in its event log.
 * Reads lazily and caches per update id, so `compare` does not read the bundle more than twice.
 */
import { computeBaseline } from '../diagnosis/baseline.js';
import type { Evidence } from '../diagnosis/evidence.js';
import { pipelineNotFound } from '../errors.js';
import { listFilterMatches } from '../digest/filter.js';
import type { CollectOptions, PipelineSummary, Source } from '../source.js';
import type { BundleLimits } from './limits.js';
import { readBundle } from './read.js';

export class BundleSource implements Source {
  readonly kind = 'bundle' as const;
  private readonly cache = new Map<string, Promise<Evidence>>();

  constructor(
    readonly path: string,
    private readonly limits: Partial<BundleLimits> = {},
  ) {}

  pipelineUrl(): string | null {
    return null; // a bundle does not know its workspace host
  }

  private read(updateId?: string): Promise<Evidence> {
    const key = updateId ?? '';
    let p = this.cache.get(key);
    if (!p) {
      p = readBundle(this.path, updateId === undefined ? { limits: this.limits } : { updateId, limits: this.limits }).then((r) => r.evidence);
      this.cache.set(key, p);
      p.catch(() => this.cache.delete(key));
    }
    return p;
  }

  async listPipelines(filter?: string): Promise<PipelineSummary[]> {
    const e = await this.read();
    if (!listFilterMatches(filter, e.pipeline) && !(filter && e.pipeline.id.toLowerCase().includes(filter.trim().toLowerCase()))) return [];
    const base = computeBaseline(e);
    return [
      {
        id: e.pipeline.id,
        name: e.pipeline.name,
        state: e.pipeline.state,
        health: e.pipeline.health,
        lastUpdate: { id: e.update.id, state: e.update.state, startedAt: e.update.startedAt, durationS: e.update.durationS },
        baselineMedianS: base?.median_duration_s ?? null,
      },
    ];
  }

  async resolvePipeline(ref: string): Promise<{ id: string; name: string }> {
    const e = await this.read();
    const r = ref.trim().toLowerCase();
    // "Orders Silver" for orders_silver, as a workspace resolves it
    const loose = (n: string) => n.toLowerCase().replace(/[\s_-]+/g, '_');
    if (r === e.pipeline.id.toLowerCase() || r === e.pipeline.name.toLowerCase() || loose(r) === loose(e.pipeline.name)) return { id: e.pipeline.id, name: e.pipeline.name };
    throw pipelineNotFound(ref, [e.pipeline.name]);
  }

  async collect(ref: string, options: CollectOptions = {}): Promise<Evidence> {
    options.onProgress?.('resolving');
    await this.resolvePipeline(ref);
    options.onProgress?.('collecting');
    return this.read(options.updateId);
  }
}
