import { installedAppIds } from '../apps/installed-apps';
import type { Db } from '../db/client';
import { nextRuns } from '../schedules/cron';
import { findHealthProblems } from './health-findings';
import { type HealthHistory, type HistoryBackup, loadHealthHistory } from './health-history';
import {
  type FailedBackupEntry,
  type FailedVerificationEntry,
  type FailingTargetEntry,
  type HealthOptions,
  healthLists,
  type MissedRunEntry,
  type UnverifiedTargetEntry,
} from './health-lists';
import { type HealthGrade, type HealthReason, scoreHealth } from './health-score';
import { type HealthThresholds, readHealthThresholds } from './health-settings';
import { completedAt, lastSuccesses } from './last-success';
import { computeStaleness, type StalenessWarning } from './staleness';

export interface BackupRef {
  backupId: string;
  at: string;
  targetName: string;
}

/** The backup health of the instance (docs/VERIFICATION.md). */
export interface BackupHealth {
  generatedAt: string;
  score: number;
  grade: HealthGrade;
  /** What lowered the score, heaviest first, each with where to fix it. */
  reasons: HealthReason[];
  thresholds: HealthThresholds;
  lastSuccess: {
    overall: BackupRef | null;
    perApp: { app: string; last: BackupRef | null }[];
    perTarget: { targetId: string; name: string; last: BackupRef | null }[];
    perSchedule: { scheduleId: string; name: string; enabled: boolean; last: BackupRef | null }[];
  };
  staleness: StalenessWarning[];
  recentFailures: { backups: FailedBackupEntry[]; missedRuns: MissedRunEntry[] };
  unverified: UnverifiedTargetEntry[];
  failedVerifications: FailedVerificationEntry[];
  targetsFailingTest: FailingTargetEntry[];
  nextRuns: { scheduleId: string; name: string; nextAt: string }[];
}

/** The whole summary from a history: pure, so tests can feed it hand-built histories. */
export function summarizeHealth(history: HealthHistory, options: HealthOptions): BackupHealth {
  const { now, timeZone } = options;
  const last = lastSuccesses(history);
  const targetName = new Map(history.targets.map((t) => [t.id, t.name]));
  const ref = (b: HistoryBackup | null | undefined): BackupRef | null =>
    b ? { backupId: b.id, at: completedAt(b).toISOString(), targetName: targetName.get(b.targetId) ?? b.targetId } : null;
  const staleness = computeStaleness(history, options);
  const lists = healthLists(history, options);
  const { score, grade, reasons } = scoreHealth(findHealthProblems(history, last, staleness, lists));
  const apps = [...new Set([...(history.installedApps ?? []), ...last.perApp.keys()])].sort();
  const upcoming = history.schedules.flatMap((s) => {
    if (!s.enabled) return [];
    try {
      const [next] = nextRuns(s.cron, 1, timeZone, now);
      return next ? [{ scheduleId: s.id, name: s.name, nextAt: next.toISOString() }] : [];
    } catch {
      return [];
    }
  });
  return {
    generatedAt: now.toISOString(),
    score,
    grade,
    reasons,
    thresholds: options.thresholds,
    lastSuccess: {
      overall: ref(last.overall),
      perApp: apps.map((app) => ({ app, last: ref(last.perApp.get(app)) })),
      perTarget: history.targets.map((t) => ({ targetId: t.id, name: t.name, last: ref(last.perTarget.get(t.id)) })),
      perSchedule: history.schedules.map((s) => ({
        scheduleId: s.id,
        name: s.name,
        enabled: s.enabled,
        last: ref(last.perSchedule.get(s.id)),
      })),
    },
    staleness,
    recentFailures: { backups: lists.failedBackups, missedRuns: lists.missedRuns },
    unverified: lists.unverified,
    failedVerifications: lists.failedVerifications,
    targetsFailingTest: lists.targetsFailingTest,
    nextRuns: upcoming.sort((a, b) => a.nextAt.localeCompare(b.nextAt)),
  };
}

/**
 * The backup health of this instance at `now`: what /api/backups/health, the dashboard and
 * `cloudos-backup health` show. With `appsDir`, installed apps never backed up count too.
 * (The process health of /api/healthz is get-instance-health.ts.)
 */
export async function getBackupHealth(
  db: Db,
  options: { now?: Date; timeZone?: string; appsDir?: string } = {},
): Promise<BackupHealth> {
  const now = options.now ?? new Date();
  const installedApps = options.appsDir ? installedAppIds(options.appsDir) : null;
  const history = await loadHealthHistory(db, { now, installedApps });
  return summarizeHealth(history, { now, timeZone: options.timeZone ?? 'UTC', thresholds: await readHealthThresholds(db) });
}
