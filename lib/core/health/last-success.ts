import type { HealthHistory, HistoryBackup } from './health-history';

/** When a successful backup counts as made: when it finished (its start for old rows). */
export function completedAt(backup: HistoryBackup): Date {
  return backup.finishedAt ?? backup.startedAt;
}

export interface LastSuccesses {
  overall: HistoryBackup | null;
  perApp: Map<string, HistoryBackup>;
  perTarget: Map<string, HistoryBackup>;
  perSchedule: Map<string, HistoryBackup>;
}

/** The newest successful backup overall, of each app, each target and each schedule. */
export function lastSuccesses(history: HealthHistory): LastSuccesses {
  const result: LastSuccesses = { overall: null, perApp: new Map(), perTarget: new Map(), perSchedule: new Map() };
  const newer = (a: HistoryBackup | undefined | null, b: HistoryBackup) => !a || completedAt(b) > completedAt(a);
  for (const backup of history.backups) {
    if (backup.status !== 'succeeded') continue;
    if (newer(result.overall, backup)) result.overall = backup;
    for (const app of backup.apps) if (newer(result.perApp.get(app), backup)) result.perApp.set(app, backup);
    if (newer(result.perTarget.get(backup.targetId), backup)) result.perTarget.set(backup.targetId, backup);
    if (backup.scheduleId && newer(result.perSchedule.get(backup.scheduleId), backup))
      result.perSchedule.set(backup.scheduleId, backup);
  }
  return result;
}
