import { manifestKey } from '../backup/repository';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Backup, Schedule } from '../generated/prisma/client';
import { openTargetById } from '../targets/targets';
import { backupsInUse } from './backups-in-use';
import { planRetention, type RetentionDecision } from './retention';

export interface ScheduleRetentionPlan {
  schedule: Schedule;
  decisions: (RetentionDecision & { backup: Backup })[];
}

/** What the schedule's policy keeps and deletes now, over its own successful backups only. */
export async function planScheduleRetention(db: Db, schedule: Schedule, timeZone: string): Promise<ScheduleRetentionPlan> {
  const backups = await db.backup.findMany({ where: { scheduleId: schedule.id, status: 'succeeded' } });
  const byId = new Map(backups.map((b) => [b.id, b]));
  const decisions = planRetention(backups, schedule, { timeZone, protectedIds: await backupsInUse(db) });
  return { schedule, decisions: decisions.map((d) => ({ ...d, backup: byId.get(d.id) as Backup })) };
}

export interface RetentionOutcome {
  kept: string[];
  deleted: string[];
  failed: { id: string; message: string }[];
}

type Log = (message: string, level?: 'info' | 'warn' | 'error') => Promise<void>;

/**
 * Applies a schedule's retention after one of its backups succeeded. Each dropped backup is
 * removed manifest first (from then on it is no backup on the target), then its object, then
 * its catalog row: a crash in between leaves a catalog row that the next run deletes again
 * (target deletes are idempotent), never a manifest without its object. A backup that cannot
 * be deleted is logged and left for the next run; the other deletions go on.
 */
export async function applyScheduleRetention(
  db: Db,
  instanceKey: Buffer,
  scheduleId: string,
  { timeZone, log }: { timeZone: string; log: Log },
): Promise<RetentionOutcome | null> {
  const schedule = await db.schedule.findUnique({ where: { id: scheduleId } });
  if (!schedule) {
    await log('The schedule of this backup no longer exists; no retention was applied.', 'warn');
    return null;
  }
  const { decisions } = await planScheduleRetention(db, schedule, timeZone);
  const outcome: RetentionOutcome = { kept: [], deleted: [], failed: [] };
  const drop = decisions.filter((d) => d.action === 'delete');
  for (const d of decisions) if (d.action === 'keep') outcome.kept.push(d.id);
  if (drop.length === 0) {
    await log(`Retention of "${schedule.name}": keeping all ${decisions.length} backups.`);
    return outcome;
  }
  await log(`Retention of "${schedule.name}": keeping ${outcome.kept.length}, deleting ${drop.length}.`);
  for (const { backup } of drop) {
    try {
      // Checked again right before deleting: a restore may have started since the plan.
      if ((await backupsInUse(db)).has(backup.id)) {
        outcome.kept.push(backup.id);
        await log(`Backup ${backup.id} is in use now; kept.`);
        continue;
      }
      const target = await openTargetById(db, instanceKey, backup.targetId);
      try {
        await target.delete(manifestKey(backup.id));
        await target.delete(backup.objectKey);
      } finally {
        await target.close().catch(() => {});
      }
      await db.backup.delete({ where: { id: backup.id } });
      outcome.deleted.push(backup.id);
      await log(`Deleted backup ${backup.id} from ${backup.startedAt.toISOString()} (no retention rule keeps it).`);
    } catch (error) {
      const message = error instanceof AppError || error instanceof Error ? error.message : String(error);
      outcome.failed.push({ id: backup.id, message });
      await log(`Could not delete backup ${backup.id}: ${message} It stays and is tried again after the next backup.`, 'error');
    }
  }
  return outcome;
}
