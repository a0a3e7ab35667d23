/**
 * The recommendation catalog: every FixDefinition from the per-area files, merged and keyed by id.
 * Rules request fixes by id (FixRequest); buildRecommendations looks them up here.
 */
import type { FixDefinition } from '../types.js';
import { FIXES as CAPACITY_FIXES } from './capacity.js';
import { FIXES as COMPUTE_FIXES } from './compute.js';
import { FIXES as STREAMING_FIXES } from './streaming.js';

export const FIXES: readonly FixDefinition[] = [...COMPUTE_FIXES, ...CAPACITY_FIXES, ...STREAMING_FIXES].sort((a, b) => a.id.localeCompare(b.id));

export const FIXES_BY_ID: ReadonlyMap<string, FixDefinition> = new Map(FIXES.map((f) => [f.id, f]));
