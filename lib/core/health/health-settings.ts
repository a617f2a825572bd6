import { z } from 'zod';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { getSetting, putSetting, SettingKey } from '../settings/settings';

/** The thresholds of staleness and verification age (docs/VERIFICATION.md). */
export interface HealthThresholds {
  /** An app or target not covered by an enabled schedule is stale after this many hours. */
  staleAfterHours: number;
  /** A schedule is stale after this many times its interval without a successful backup. */
  scheduleStaleFactor: number;
  /** A target is unverified when none of its backups was verified ok within these days. */
  verifyWithinDays: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = { staleAfterHours: 48, scheduleStaleFactor: 2, verifyWithinDays: 30 };

const fields = {
  staleAfterHours: z
    .number({ error: 'Hours must be a whole number from 1 to 8760.' })
    .int('Hours must be a whole number from 1 to 8760.')
    .min(1, 'Hours must be a whole number from 1 to 8760.')
    .max(8760, 'Hours must be a whole number from 1 to 8760.'),
  scheduleStaleFactor: z
    .number({ error: 'The factor must be a number from 1 to 10.' })
    .min(1, 'The factor must be a number from 1 to 10.')
    .max(10, 'The factor must be a number from 1 to 10.'),
  verifyWithinDays: z
    .number({ error: 'Days must be a whole number from 1 to 365.' })
    .int('Days must be a whole number from 1 to 365.')
    .min(1, 'Days must be a whole number from 1 to 365.')
    .max(365, 'Days must be a whole number from 1 to 365.'),
};
const changesSchema = z.object(fields).partial().strict();

const KEYS: Record<keyof HealthThresholds, SettingKey> = {
  staleAfterHours: SettingKey.healthStaleAfterHours,
  scheduleStaleFactor: SettingKey.healthScheduleStaleFactor,
  verifyWithinDays: SettingKey.healthVerifyWithinDays,
};

/** The stored thresholds; a missing or invalid value counts as its default, so a bad row never breaks health. */
export async function readHealthThresholds(db: Db): Promise<HealthThresholds> {
  const result = { ...DEFAULT_HEALTH_THRESHOLDS };
  for (const name of Object.keys(KEYS) as (keyof HealthThresholds)[]) {
    const raw = await getSetting(db, KEYS[name]);
    const parsed = fields[name].safeParse(raw === null ? Number.NaN : Number(raw));
    if (parsed.success) result[name] = parsed.data;
  }
  return result;
}

/** Stores the thresholds given (others unchanged); invalid input changes nothing. */
export async function writeHealthThresholds(db: Db, rawChanges: unknown): Promise<HealthThresholds> {
  const parsed = changesSchema.safeParse(rawChanges);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? '_');
    throw new AppError('invalid_input', issue?.message ?? 'Invalid thresholds.', {
      fields: { [key]: issue?.message ?? 'invalid' },
    });
  }
  for (const [name, value] of Object.entries(parsed.data) as [keyof HealthThresholds, number][])
    await putSetting(db, KEYS[name], String(value));
  return readHealthThresholds(db);
}
