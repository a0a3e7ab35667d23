/** Digest schedules in words (src/schedule/schedule-words.ts). */
import { describe, expect, it } from 'vitest';
import { formatInZone, scheduleInWords, scheduleLine } from '../../src/schedule/schedule-words.js';

describe('scheduleInWords', () => {
  it.each([
    ['0 9 * * *', 'daily at 09:00'],
    ['30 8 * * 1', 'weekly on Monday at 08:30'],
    ['0 7 * * 0', 'weekly on Sunday at 07:00'],
    ['0 7 * * 7', 'weekly on Sunday at 07:00'],
    ['0 7 * * 1-5', 'weekdays at 07:00'],
    ['15 * * * *', 'hourly at :15'],
    ['0 9 1 * *', 'cron "0 9 1 * *"'],
    ['0 */6 * * *', 'cron "0 */6 * * *"'],
    ['0 9 * * 1,3', 'cron "0 9 * * 1,3"'],
  ])('%s → %s', (cron, words) => {
    expect(scheduleInWords(cron)).toBe(words);
  });
});

describe('next run', () => {
  it('is given in the subscription\'s zone', () => {
    // Thursday 2026-12-03 12:00 UTC; Monday 09:00 in Berlin is 08:00 UTC on 7 Dec
    const now = new Date('2026-12-03T12:00:00Z');
    expect(scheduleLine('0 9 * * 1', 'Europe/Berlin', now)).toBe('weekly on Monday at 09:00 (Europe/Berlin) · next Mon 7 Dec, 09:00');
    expect(scheduleLine('0 9 * * *', 'Asia/Tokyo', now)).toBe('daily at 09:00 (Asia/Tokyo) · next Fri 4 Dec, 09:00');
    expect(formatInZone(new Date('2026-12-03T23:30:00Z'), 'America/New_York')).toBe('Thu 3 Dec, 18:30');
  });
});
