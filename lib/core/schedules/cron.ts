import { Cron } from 'croner';
import { AppError } from '../errors';

export const CRON_PRESETS = {
  hourly: '0 * * * *',
  daily: '0 2 * * *',
  weekly: '0 2 * * 0',
  monthly: '0 2 1 * *',
} as const;
export type CronPreset = keyof typeof CRON_PRESETS;

/**
 * A croner pattern in the instance time zone. Five fields only (minute precision): a backup
 * schedule with seconds is a typo more often than a wish. Day-of-month and day-of-week combine
 * with OR, as in Vixie cron. Croner runs a fixed-time job that falls into a DST gap at the
 * first time after the gap, and once when the time occurs twice.
 */
function cronFor(expression: string, timeZone: string): Cron {
  return new Cron(expression, { timezone: timeZone, mode: '5-part', paused: true });
}

/** Throws invalid_input with croner's reason, or for an expression that never fires (e.g. Feb 31). */
export function parseCron(expression: string, timeZone = 'UTC'): Cron {
  let cron: Cron;
  try {
    cron = cronFor(expression.trim(), timeZone);
  } catch (error) {
    const reason = error instanceof Error ? error.message.replace(/^CronPattern: /, '') : String(error);
    throw new AppError('invalid_input', `"${expression}" is not a valid cron expression: ${reason}.`, {
      fields: { cron: reason },
    });
  }
  if (!cron.nextRun()) throw new AppError('invalid_input', `"${expression}" never runs.`, { fields: { cron: 'never runs' } });
  return cron;
}

/** The next `n` fire times strictly after `from`, as instants. */
export function nextRuns(expression: string, n: number, timeZone: string, from: Date): Date[] {
  return parseCron(expression, timeZone).nextRuns(n, from);
}

/**
 * Fire times in (after, until], oldest first, at most `limit` of them (the newest ones): a
 * minute schedule on a worker that was down for a month must not produce 40 000 rows.
 */
export function firesBetween(expression: string, timeZone: string, after: Date, until: Date, limit: number): Date[] {
  if (until.getTime() <= after.getTime()) return [];
  const newestFirst = parseCron(expression, timeZone).previousRuns(limit, new Date(until.getTime() + 1));
  return newestFirst.filter((fire) => fire.getTime() > after.getTime()).reverse();
}
