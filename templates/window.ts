/**
 * The sentence every surface shows when a diagnosis read only part of its update (issue 16): a
 * running continuous update is judged on its last 8 hours unless `--window` says otherwise, and
 * the reply says which part that was, so nobody mistakes it for the whole run.
 */
import type { Diagnosis } from '../src/diagnosis/types.js';
import { formatDuration } from './format.js';

const hhmm = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
/** 480 → "8h", 4320 → "3d", 90 → "1h 30m" */
const spanOf = (minutes: number) => (minutes % 1440 === 0 ? `${minutes / 1440}d` : minutes % 60 === 0 ? `${minutes / 60}h` : formatDuration(minutes * 60));
const readOf = (s: number) => (s >= 86_400 ? `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h` : formatDuration(s));

/** "Window: the last 8h of this running update (since 2026-12-02 16:05 UTC) …", or null when the whole update was read */
export function windowSentence(d: Diagnosis): string | null {
  const w = d.window;
  if (!w) return null;
  const span = spanOf(w.minutes);
  const readS = Math.max(0, (Date.parse(w.to) - Date.parse(w.from)) / 1000);
  const running = d.update.ended_at === null;
  const what = running ? 'this running update' : 'this update';
  const part = readS + 60 < w.minutes * 60 ? `all ${readOf(readS)} so far of ${what} (window ${span})` : `the last ${span} of ${what}`;
  const how = w.requested ? '' : '; `--window <minutes>` reads more or less';
  return `Window: flow metrics, cluster resources and node metrics cover ${part}, since ${hhmm(w.from)}; phases, errors and plans cover all of it${how}.`;
}
