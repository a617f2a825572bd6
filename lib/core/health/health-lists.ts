import { formatDuration } from '../util/format-duration';
import { sameAppSet } from '../verification/size-trend';
import type { HealthHistory, HistoryBackup } from './health-history';
import type { HealthThresholds } from './health-settings';
import { completedAt } from './last-success';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface HealthOptions {
  now: Date;
  timeZone: string;
  thresholds: HealthThresholds;
}

export interface FailedBackupEntry {
  backupId: string;
  targetName: string;
  scope: 'full' | 'apps';
  apps: string[];
  scheduleName: string | null;
  at: string;
  message: string;
  /** A later backup of the same schedule (or target and apps) succeeded. */
  resolved: boolean;
  fixPath: string;
}

export interface MissedRunEntry {
  scheduleId: string;
  scheduleName: string;
  fireAt: string;
  message: string;
  /** The schedule made a successful backup after the missed fire. */
  resolved: boolean;
  fixPath: string;
}

export interface UnverifiedTargetEntry {
  targetId: string;
  targetName: string;
  newestBackupId: string;
  newestAt: string;
  lastVerifiedOkAt: string | null;
  message: string;
  fixPath: string;
}

export interface FailedVerificationEntry {
  backupId: string;
  targetName: string;
  verifiedAt: string | null;
  result: 'corrupted' | 'missing';
  message: string;
  fixPath: string;
}

export interface FailingTargetEntry {
  targetId: string;
  name: string;
  testedAt: string | null;
  message: string;
  fixPath: string;
}

function succeededAfter(history: HealthHistory, after: Date, matches: (b: HistoryBackup) => boolean): boolean {
  return history.backups.some((b) => b.status === 'succeeded' && completedAt(b) > after && matches(b));
}

/** The parts of the summary that are lists of problems, computed from a history. */
export function healthLists(history: HealthHistory, options: HealthOptions) {
  const { now } = options;
  const targetName = new Map(history.targets.map((t) => [t.id, t.name]));
  const scheduleName = new Map(history.schedules.map((s) => [s.id, s.name]));
  const nameOf = (id: string) => targetName.get(id) ?? id;

  const failedBackups: FailedBackupEntry[] = history.backups
    .filter((b) => b.status === 'failed')
    .map((b) => ({
      backupId: b.id,
      targetName: nameOf(b.targetId),
      scope: b.scope,
      apps: b.apps,
      scheduleName: b.scheduleId ? (scheduleName.get(b.scheduleId) ?? null) : null,
      at: b.startedAt.toISOString(),
      message: b.errorMessage ?? 'No reason was recorded.',
      resolved: succeededAfter(history, b.startedAt, (s) =>
        b.scheduleId ? s.scheduleId === b.scheduleId : s.targetId === b.targetId && sameAppSet(s, b),
      ),
      fixPath: `/backups/${b.id}`,
    }));

  const missedRuns: MissedRunEntry[] = history.missedRuns.map((r) => ({
    scheduleId: r.scheduleId,
    scheduleName: scheduleName.get(r.scheduleId) ?? r.scheduleId,
    fireAt: r.fireAt.toISOString(),
    message: r.message ?? 'The worker was not running at that time.',
    resolved: succeededAfter(history, r.fireAt, (s) => s.scheduleId === r.scheduleId),
    fixPath: '/schedules',
  }));

  const unverified: UnverifiedTargetEntry[] = [];
  const withinMs = options.thresholds.verifyWithinDays * DAY_MS;
  for (const target of history.targets) {
    const onTarget = history.backups.filter((b) => b.status === 'succeeded' && b.targetId === target.id);
    const newest = onTarget[0];
    if (!newest) continue;
    const lastOk = onTarget
      .filter((b) => b.verifyResult === 'ok' && b.verifiedAt)
      .reduce<Date | null>((d, b) => (b.verifiedAt && (!d || b.verifiedAt > d) ? b.verifiedAt : d), null);
    if (lastOk && now.getTime() - lastOk.getTime() <= withinMs) continue;
    unverified.push({
      targetId: target.id,
      targetName: target.name,
      newestBackupId: newest.id,
      newestAt: completedAt(newest).toISOString(),
      lastVerifiedOkAt: lastOk?.toISOString() ?? null,
      message: lastOk
        ? `No backup on "${target.name}" was verified ok in the last ${options.thresholds.verifyWithinDays} days (the last, ${formatDuration(now.getTime() - lastOk.getTime())} ago): verify its newest backup.`
        : `No backup on "${target.name}" has ever been verified ok: verify its newest backup.`,
      fixPath: `/backups/${newest.id}`,
    });
  }

  const failedVerifications: FailedVerificationEntry[] = history.backups
    .filter((b) => b.status === 'succeeded' && (b.verifyResult === 'corrupted' || b.verifyResult === 'missing'))
    .map((b) => ({
      backupId: b.id,
      targetName: nameOf(b.targetId),
      verifiedAt: b.verifiedAt?.toISOString() ?? null,
      result: b.verifyResult as 'corrupted' | 'missing',
      message: `Backup ${b.id.slice(0, 8)} on "${nameOf(b.targetId)}" failed its verification (${b.verifyResult}): ${b.verifyMessage ?? 'no reason recorded'}`,
      fixPath: `/backups/${b.id}`,
    }));

  const targetsFailingTest: FailingTargetEntry[] = history.targets
    .filter((t) => t.lastTestOk === false)
    .map((t) => ({
      targetId: t.id,
      name: t.name,
      testedAt: t.lastTestAt?.toISOString() ?? null,
      message: `The last connection test of "${t.name}" failed: ${t.lastTestMessage ?? 'no reason recorded'}`,
      fixPath: `/targets/${t.id}/edit`,
    }));

  return { failedBackups, missedRuns, unverified, failedVerifications, targetsFailingTest };
}
