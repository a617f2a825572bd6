import type { Db } from '../db/client';

/** How far back failed backups and missed schedule runs count as recent. */
export const RECENT_FAILURE_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Enough successful backups to find every app's, target's and schedule's last one. */
const SUCCESS_ROWS = 5000;

export interface HistoryBackup {
  id: string;
  status: string;
  targetId: string;
  scheduleId: string | null;
  jobId: string | null;
  scope: 'full' | 'apps';
  apps: string[];
  startedAt: Date;
  finishedAt: Date | null;
  errorMessage: string | null;
  verifiedAt: Date | null;
  verifyResult: string | null;
  verifyMessage: string | null;
}

export interface HistorySchedule {
  id: string;
  name: string;
  cron: string;
  enabled: boolean;
  targetId: string;
  scope: 'full' | 'apps';
  apps: string[];
  createdAt: Date;
}

export interface HistoryTarget {
  id: string;
  name: string;
  createdAt: Date;
  lastTestAt: Date | null;
  lastTestOk: boolean | null;
  lastTestMessage: string | null;
}

export interface HistoryRun {
  scheduleId: string;
  fireAt: Date;
  status: string;
  message: string | null;
}

/**
 * What the health summary and staleness are computed from: plain data, so the rules are pure
 * functions that tests feed hand-built histories.
 */
export interface HealthHistory {
  /** Newest first: successful backups, and the others of the last RECENT_FAILURE_DAYS. */
  backups: HistoryBackup[];
  schedules: HistorySchedule[];
  targets: HistoryTarget[];
  /** Missed schedule fires of the last RECENT_FAILURE_DAYS. */
  missedRuns: HistoryRun[];
  /** The apps installed now (folders with a Compose file), or null when unknown: then the catalog's apps. */
  installedApps: string[] | null;
}

const backupSelect = {
  id: true,
  status: true,
  targetId: true,
  scheduleId: true,
  jobId: true,
  scope: true,
  apps: true,
  startedAt: true,
  finishedAt: true,
  errorMessage: true,
  verifiedAt: true,
  verifyResult: true,
  verifyMessage: true,
} as const;

export async function loadHealthHistory(
  db: Db,
  { now, installedApps = null }: { now: Date; installedApps?: string[] | null },
): Promise<HealthHistory> {
  const since = new Date(now.getTime() - RECENT_FAILURE_DAYS * DAY_MS);
  const [succeeded, badlyVerified, others, schedules, targets, missed] = await Promise.all([
    db.backup.findMany({
      where: { status: 'succeeded' },
      orderBy: { startedAt: 'desc' },
      take: SUCCESS_ROWS,
      select: backupSelect,
    }),
    db.backup.findMany({ where: { status: 'succeeded', verifyResult: { in: ['corrupted', 'missing'] } }, select: backupSelect }),
    db.backup.findMany({ where: { status: { not: 'succeeded' }, startedAt: { gte: since } }, select: backupSelect }),
    db.schedule.findMany({ orderBy: { name: 'asc' } }),
    db.target.findMany({ orderBy: { name: 'asc' } }),
    db.scheduleRun.findMany({ where: { status: 'missed', fireAt: { gte: since } }, orderBy: { fireAt: 'desc' } }),
  ]);
  const byId = new Map([...succeeded, ...badlyVerified, ...others].map((b) => [b.id, b]));
  const backups = [...byId.values()]
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
    .map((b) => ({ ...b, scope: b.scope as 'full' | 'apps', apps: JSON.parse(b.apps) as string[] }));
  return {
    backups,
    schedules: schedules.map((s) => ({
      id: s.id,
      name: s.name,
      cron: s.cron,
      enabled: s.enabled,
      targetId: s.targetId,
      scope: s.scope as 'full' | 'apps',
      apps: JSON.parse(s.apps) as string[],
      createdAt: s.createdAt,
    })),
    targets: targets.map((t) => ({
      id: t.id,
      name: t.name,
      createdAt: t.createdAt,
      lastTestAt: t.lastTestAt,
      lastTestOk: t.lastTestOk,
      lastTestMessage: t.lastTestMessage,
    })),
    missedRuns: missed.map((r) => ({ scheduleId: r.scheduleId, fireAt: r.fireAt, status: r.status, message: r.message })),
    installedApps,
  };
}
