import type { BackupRequest } from '../backup/backup-request';
import { type BackupContext, type BackupResult, runBackup } from '../backup/run-backup';
import { cleanUpTarget } from '../cleanup/clean-up-target';
import { applyRetentionAfterBackup, type RetentionOutcome } from '../retention/apply-retention';

export interface ScheduledBackupResult extends BackupResult {
  /** Null when no retention applies (a backup by hand to a target without "keep last"), or it could not run. */
  retention: RetentionOutcome | null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * A backup, then — only if it succeeded — retention (its schedule's policy and its target's
 * "keep last") and the cleanup pass of its target. runBackup throws on failure or cancel, so a
 * failed backup never deletes anything. Neither step can fail the backup that is already
 * stored: their errors are logged.
 */
export async function runBackupWithRetention(
  request: BackupRequest,
  context: BackupContext & { timeZone: string },
): Promise<ScheduledBackupResult> {
  const result = await runBackup(request, context);
  const { db, instanceKey, log } = context;
  let retention: RetentionOutcome | null = null;
  try {
    retention = await applyRetentionAfterBackup(db, instanceKey, result.backupId, { timeZone: context.timeZone, log });
  } catch (error) {
    await log(`Retention did not run: ${messageOf(error)}`, 'error');
  }
  try {
    const made = await db.backup.findUniqueOrThrow({ where: { id: result.backupId }, select: { targetId: true } });
    await cleanUpTarget(db, instanceKey, made.targetId, { log });
  } catch (error) {
    await log(`The cleanup of failed uploads on the target did not finish: ${messageOf(error)}`, 'warn');
  }
  return { ...result, retention };
}
