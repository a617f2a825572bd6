import type { Db } from '../db/client';
import { nextRuns } from '../schedules/cron';
import { formatDuration } from '../util/format-duration';
import { type HealthHistory, type HistorySchedule, loadHealthHistory } from './health-history';
import { type HealthThresholds, readHealthThresholds } from './health-settings';
import { completedAt, lastSuccesses } from './last-success';

const HOUR_MS = 60 * 60 * 1000;

/** Something whose last successful backup is older than its threshold. */
export interface StalenessWarning {
  kind: 'schedule' | 'app' | 'target';
  /** The schedule's or target's id, or the app's id. */
  id: string;
  /** The schedule's or target's name, or the app's id. */
  name: string;
  /** null: never backed up successfully. */
  lastSuccessAt: string | null;
  lastBackupId: string | null;
  thresholdHours: number;
  message: string;
  /** Where to fix it. */
  fixPath: string;
}

export interface StalenessOptions {
  now: Date;
  timeZone: string;
  thresholds: HealthThresholds;
}

/**
 * The longest gap between consecutive fire times among a schedule's next ten: for "weekdays
 * at 02:00" that is the weekend's three days, so a quiet weekend is never stale. null when the
 * expression cannot be read.
 */
export function scheduleIntervalMs(cron: string, timeZone: string, now: Date): number | null {
  try {
    const runs = nextRuns(cron, 10, timeZone, now);
    let longest = 0;
    for (let i = 1; i < runs.length; i += 1)
      longest = Math.max(longest, (runs[i] as Date).getTime() - (runs[i - 1] as Date).getTime());
    return longest > 0 ? longest : null;
  } catch {
    return null;
  }
}

/** A schedule's threshold: `scheduleStaleFactor` times its interval (staleAfterHours if unreadable). */
export function scheduleThresholdMs(schedule: Pick<HistorySchedule, 'cron'>, options: StalenessOptions): number {
  const interval = scheduleIntervalMs(schedule.cron, options.timeZone, options.now);
  return interval === null ? options.thresholds.staleAfterHours * HOUR_MS : options.thresholds.scheduleStaleFactor * interval;
}

/**
 * The staleness rules of docs/VERIFICATION.md, as a pure function of a history:
 * - an enabled schedule is stale when its last successful backup (or, without one, its
 *   creation) is older than `scheduleStaleFactor` × its interval; disabled ones never are;
 * - an app (installed, or else seen in the catalog) is stale when its last successful backup
 *   is older than the largest threshold of the enabled schedules covering it, or
 *   `staleAfterHours` when none does; an installed app never backed up is stale at once;
 * - a target that holds backups or has enabled schedules, likewise with its schedules.
 */
export function computeStaleness(history: HealthHistory, options: StalenessOptions): StalenessWarning[] {
  const { now } = options;
  const last = lastSuccesses(history);
  const warnings: StalenessWarning[] = [];
  const enabled = history.schedules.filter((s) => s.enabled);
  const threshold = new Map(enabled.map((s) => [s.id, scheduleThresholdMs(s, options)]));
  const loosest = (schedules: HistorySchedule[]) =>
    schedules.length > 0
      ? Math.max(...schedules.map((s) => threshold.get(s.id) ?? 0))
      : options.thresholds.staleAfterHours * HOUR_MS;
  const add = (
    warning: Omit<StalenessWarning, 'lastSuccessAt' | 'lastBackupId' | 'thresholdHours' | 'message'>,
    lastAt: Date | null,
    lastBackupId: string | null,
    limitMs: number,
    subject: string,
    never: (limit: string) => string,
  ) => {
    const limit = formatDuration(limitMs);
    const message = lastAt
      ? `${subject} was last backed up ${formatDuration(now.getTime() - lastAt.getTime())} ago; more than ${limit} is stale.`
      : never(limit);
    warnings.push({
      ...warning,
      lastSuccessAt: lastAt?.toISOString() ?? null,
      lastBackupId,
      thresholdHours: Math.round((limitMs / HOUR_MS) * 10) / 10,
      message,
    });
  };

  for (const schedule of enabled) {
    const limitMs = threshold.get(schedule.id) ?? 0;
    const backup = last.perSchedule.get(schedule.id);
    const since = backup ? completedAt(backup) : schedule.createdAt;
    if (now.getTime() - since.getTime() <= limitMs) continue;
    add(
      { kind: 'schedule', id: schedule.id, name: schedule.name, fixPath: '/schedules' },
      backup ? since : null,
      backup?.id ?? null,
      limitMs,
      `The schedule "${schedule.name}"`,
      (limit) =>
        `The schedule "${schedule.name}" has not completed a backup in the ${formatDuration(now.getTime() - schedule.createdAt.getTime())} since it was created; more than ${limit} is stale.`,
    );
  }

  const apps = history.installedApps ?? [...last.perApp.keys()].sort();
  for (const app of apps) {
    const limitMs = loosest(enabled.filter((s) => s.scope === 'full' || s.apps.includes(app)));
    const backup = last.perApp.get(app);
    if (backup && now.getTime() - completedAt(backup).getTime() <= limitMs) continue;
    add(
      { kind: 'app', id: app, name: app, fixPath: '/backups/new' },
      backup ? completedAt(backup) : null,
      backup?.id ?? null,
      limitMs,
      `The app "${app}"`,
      () => `The app "${app}" has never been backed up.`,
    );
  }

  for (const target of history.targets) {
    const schedules = enabled.filter((s) => s.targetId === target.id);
    const backup = last.perTarget.get(target.id);
    if (!backup && schedules.length === 0) continue; // not in use: nothing is expected of it
    const limitMs = loosest(schedules);
    const firstSchedule = schedules.reduce<Date | null>((d, s) => (!d || s.createdAt < d ? s.createdAt : d), null);
    const since = backup ? completedAt(backup) : (firstSchedule ?? target.createdAt);
    if (now.getTime() - since.getTime() <= limitMs) continue;
    add(
      { kind: 'target', id: target.id, name: target.name, fixPath: `/targets/${target.id}/edit` },
      backup ? since : null,
      backup?.id ?? null,
      limitMs,
      `The target "${target.name}"`,
      (limit) =>
        `The target "${target.name}" holds no successful backup yet, though its schedules should have made one within ${limit}.`,
    );
  }
  return warnings;
}

/**
 * The staleness warnings of this instance at `now` (thresholds from the settings). Pass the
 * installed apps to also warn about apps never backed up; without them the apps are those of
 * the catalog.
 */
export async function findStaleness(
  db: Db,
  now: Date,
  options: { timeZone?: string; installedApps?: string[] | null } = {},
): Promise<StalenessWarning[]> {
  const history = await loadHealthHistory(db, { now, installedApps: options.installedApps ?? null });
  return computeStaleness(history, { now, timeZone: options.timeZone ?? 'UTC', thresholds: await readHealthThresholds(db) });
}
