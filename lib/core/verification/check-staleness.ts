import type { BackupView } from '../backup/catalog';
import type { Db } from '../db/client';
import { findStaleness } from '../health/staleness';

/**
 * Staleness as a check of one backup: the warnings of findStaleness that concern its apps, its
 * target or its schedule, at `now`. Never fails: a stale backup set is a warning to act on.
 */
export async function checkStaleness(
  db: Db,
  backup: BackupView,
  now: Date,
  timeZone: string,
): Promise<{ result: 'pass' | 'warn'; message: string }> {
  const warnings = (await findStaleness(db, now, { timeZone })).filter(
    (w) =>
      (w.kind === 'app' && backup.apps.includes(w.id)) ||
      (w.kind === 'target' && w.id === backup.target.id) ||
      (w.kind === 'schedule' && w.id === backup.scheduleId),
  );
  if (warnings.length > 0) return { result: 'warn', message: warnings.map((w) => w.message).join(' ') };
  const subjects = [
    ...(backup.apps.length > 0 ? [`its apps (${backup.apps.join(', ')})`] : []),
    `its target "${backup.target.name}"`,
    ...(backup.scheduleId ? ['its schedule'] : []),
  ];
  const listed = subjects.length > 1 ? `${subjects.slice(0, -1).join(', ')} and ${subjects.at(-1)}` : subjects[0];
  return { result: 'pass', message: `The last successful backups of ${listed} are within their thresholds.` };
}
