import type { HealthHistory, HistoryBackup, HistorySchedule, HistoryTarget } from '@/lib/core/health/health-history';

// Hand-built histories for the pure health rules: everything relative to NOW.
export const NOW = new Date('2026-11-28T12:00:00.000Z'); // a Saturday
export const HOUR = 60 * 60 * 1000;
export const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * HOUR);

let counter = 0;
export function backupAt(hours: number, over: Partial<HistoryBackup> = {}): HistoryBackup {
  counter += 1;
  return {
    id: counter.toString(16).padStart(32, '0'),
    status: 'succeeded',
    targetId: 't1',
    scheduleId: null,
    jobId: null,
    scope: 'full',
    apps: ['notes', 'photos'],
    startedAt: hoursAgo(hours + 0.1),
    finishedAt: hoursAgo(hours),
    errorMessage: null,
    verifiedAt: null,
    verifyResult: null,
    verifyMessage: null,
    ...over,
  };
}

export function schedule(over: Partial<HistorySchedule> = {}): HistorySchedule {
  return {
    id: 's1',
    name: 'nightly',
    cron: '0 2 * * *',
    enabled: true,
    targetId: 't1',
    scope: 'full',
    apps: [],
    createdAt: hoursAgo(24 * 30),
    ...over,
  };
}

export function target(over: Partial<HistoryTarget> = {}): HistoryTarget {
  return {
    id: 't1',
    name: 'nas',
    createdAt: hoursAgo(24 * 60),
    lastTestAt: null,
    lastTestOk: null,
    lastTestMessage: null,
    ...over,
  };
}

export function history(over: Partial<HealthHistory> = {}): HealthHistory {
  const backups = over.backups ?? [];
  return {
    schedules: [],
    targets: [target()],
    missedRuns: [],
    installedApps: ['notes', 'photos'],
    ...over,
    backups: [...backups].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime()),
  };
}
