import type { BackupRequest } from '../backup/backup-request';
import { type BackupContext, type BackupResult, runBackup } from '../backup/run-backup';
import { applyScheduleRetention, type RetentionOutcome } from '../retention/schedule-retention';

export interface ScheduledBackupResult extends BackupResult {
  /** Null when the backup belongs to no schedule (or the schedule is gone). */
  retention: RetentionOutcome | null;
}

/**
 * A backup, then — only if it succeeded and belongs to a schedule — that schedule's retention.
 * runBackup throws on failure or cancel, so a failed backup never deletes anything.
 */
export async function runBackupWithRetention(
  request: BackupRequest,
  context: BackupContext & { timeZone: string },
): Promise<ScheduledBackupResult> {
  const result = await runBackup(request, context);
  if (!request.scheduleId) return { ...result, retention: null };
  const retention = await applyScheduleRetention(context.db, context.instanceKey, request.scheduleId, {
    timeZone: context.timeZone,
    log: context.log,
  });
  return { ...result, retention };
}
