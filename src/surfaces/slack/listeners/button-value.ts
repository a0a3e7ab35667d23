/** A button's `value` (JSON the bot wrote, but it comes back from outside) read with its zod schema; null when it does not fit. */
import type { z } from 'zod';

export function parseButtonValue<T>(schema: z.ZodType<T>, raw: string | undefined): T | null {
  try {
    const r = schema.safeParse(JSON.parse(raw ?? ''));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
