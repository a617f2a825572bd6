import { z } from 'zod';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { getSetting, putSetting, SettingKey } from '../settings/settings';
import { DEFAULT_GRACE_MS } from './scheduler';

const MESSAGE = 'The grace window must be a whole number of minutes from 0 to 10080 (a week).';
const minutesSchema = z.number({ error: MESSAGE }).int(MESSAGE).min(0, MESSAGE).max(10_080, MESSAGE);

/** The scheduler's grace window. A stored value that is not valid counts as the default, so a bad row never stops schedules. */
export async function readGraceMs(db: Db): Promise<number> {
  const raw = await getSetting(db, SettingKey.scheduleGraceMinutes);
  const parsed = minutesSchema.safeParse(raw === null ? Number.NaN : Number(raw));
  return parsed.success ? parsed.data * 60_000 : DEFAULT_GRACE_MS;
}

/** The grace window in minutes, or invalid_input (field `graceMinutes`). */
export function parseGraceMinutes(minutes: unknown): number {
  const parsed = minutesSchema.safeParse(minutes);
  if (!parsed.success) throw new AppError('invalid_input', MESSAGE, { fields: { graceMinutes: MESSAGE } });
  return parsed.data;
}

export async function writeGraceMinutes(db: Db, minutes: unknown): Promise<void> {
  await putSetting(db, SettingKey.scheduleGraceMinutes, String(parseGraceMinutes(minutes)));
}
