import type { Db } from '../db/client';
import { AppError } from '../errors';
import { getSetting, putSetting, SettingKey } from '../settings/settings';

export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instance time zone: cron expressions are wall-clock times there and retention's days
 * and weeks are its calendar. The stored setting wins; without one (or with one this Node no
 * longer knows) it is `fallback`, the TZ variable. Read on every use, so a change applies to
 * the scheduler's next tick without a restart.
 */
export async function readTimeZone(db: Db, fallback: string): Promise<string> {
  const stored = await getSetting(db, SettingKey.instanceTimeZone);
  return stored !== null && isKnownTimeZone(stored) ? stored : fallback;
}

/** The zone in its canonical spelling ("europe/berlin" → "Europe/Berlin"), or invalid_input (field `timeZone`). */
export function parseTimeZone(timeZone: unknown): string {
  const value = typeof timeZone === 'string' ? timeZone.trim() : '';
  if (!value || !isKnownTimeZone(value)) {
    const message = `"${String(timeZone).slice(0, 80)}" is not a known IANA time zone (like Europe/Berlin or America/New_York).`;
    throw new AppError('invalid_input', message, { fields: { timeZone: message } });
  }
  return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
}

export async function writeTimeZone(db: Db, timeZone: unknown): Promise<string> {
  const canonical = parseTimeZone(timeZone);
  await putSetting(db, SettingKey.instanceTimeZone, canonical);
  return canonical;
}
