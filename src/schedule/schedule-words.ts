/**
 * A digest schedule in words, with its next run (issue 17 item 5): "weekly on Monday at 09:00
 * (Europe/Berlin) · next Mon 7 Dec, 09:00" instead of `cron "0 9 * * 1"`. The common shapes
 * `digest subscribe` writes are named; any other cron expression is shown as it is.
 */
import { nodeCronEngine } from './cron-engine.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const two = (n: number) => String(n).padStart(2, '0');

export function scheduleInWords(cron: string): string {
  const f = cron.trim().split(/\s+/);
  if (f.length === 5) {
    const [mi, h, dom, mon, dow] = f as [string, string, string, string, string];
    const m = /^\d{1,2}$/.test(mi) ? Number(mi) : null;
    const hh = /^\d{1,2}$/.test(h) ? Number(h) : null;
    if (m !== null && hh !== null && dom === '*' && mon === '*') {
      const at = `at ${two(hh)}:${two(m)}`;
      if (dow === '*') return `daily ${at}`;
      if (/^[0-7]$/.test(dow)) return `weekly on ${DAYS[Number(dow)]} ${at}`;
      if (dow === '1-5') return `weekdays ${at}`;
    }
    if (m !== null && h === '*' && dom === '*' && mon === '*' && dow === '*') return `hourly at :${two(m)}`;
  }
  return `cron "${cron}"`;
}

/** "Mon 7 Dec, 09:00" in the subscription's time zone */
export function formatInZone(at: Date, tz: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: tz, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('weekday')} ${get('day')} ${get('month')}, ${get('hour')}:${get('minute')}`;
}

/** "weekly on Monday at 09:00 (Europe/Berlin) · next Mon 7 Dec, 09:00" */
export function scheduleLine(cron: string, tz: string, now: Date): string {
  const next = nodeCronEngine.next(cron, tz, now);
  return `${scheduleInWords(cron)} (${tz})${next ? ` · next ${formatInZone(next, tz)}` : ''}`;
}
