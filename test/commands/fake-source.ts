import type { CommandContext } from '../../commands/types.js';
import type { Evidence } from '../../src/diagnosis/evidence.js';
import { DoctorError, pipelineNotFound } from '../../src/errors.js';
import type { CollectOptions, PipelineSummary, Source } from '../../src/source.js';

/** A Source over in-memory evidence, keyed by update id (the first one is the latest). */
export class FakeSource implements Source {
  readonly kind = 'demo' as const;
  readonly calls: { ref: string; options: CollectOptions }[] = [];
  constructor(private readonly updates: Evidence[]) {}
  pipelineUrl(id: string, updateId?: string) {
    return `https://example.cloud.databricks.com/pipelines/${id}${updateId ? `/updates/${updateId}` : ''}`;
  }
  async listPipelines(filter?: string): Promise<PipelineSummary[]> {
    const e = this.updates[0]!;
    if (filter && !e.pipeline.name.includes(filter)) return [];
    return [{ id: e.pipeline.id, name: e.pipeline.name, state: 'IDLE', health: 'HEALTHY', lastUpdate: { id: e.update.id, state: e.update.state, startedAt: e.update.startedAt, durationS: e.update.durationS }, baselineMedianS: 880 }];
  }
  async resolvePipeline(ref: string) {
    const e = this.updates[0]!;
    if (ref !== e.pipeline.id && ref !== e.pipeline.name) throw pipelineNotFound(ref, [e.pipeline.name]);
    return { id: e.pipeline.id, name: e.pipeline.name };
  }
  async collect(ref: string, options: CollectOptions = {}) {
    this.calls.push({ ref, options });
    await this.resolvePipeline(ref);
    const e = options.updateId ? this.updates.find((u) => u.update.id === options.updateId) : this.updates[0];
    if (!e) throw new DoctorError('UPDATE_NOT_FOUND', `No update ${options.updateId}.`);
    return e;
  }
}

export function ctxWith(source: Source): CommandContext {
  return { source, surface: 'cli', now: () => new Date('2026-11-27T09:00:00Z') };
}
