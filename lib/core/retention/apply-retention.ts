import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Backup, Schedule } from '../generated/prisma/client';
import { backupsInUse } from './backups-in-use';
import { planCatalogRetention } from './catalog-retention';
import { deleteBackup } from './delete-backup';
import { type RetentionDecision, reasonLabel } from './retention';

export type PlannedBackup = RetentionDecision & { backup: Backup };

/** The retention plan of every successful backup in the catalog, with its row. */
export async function planCatalog(db: Db, timeZone: string): Promise<Map<string, PlannedBackup>> {
  const [backups, schedules, targets, inUse] = await Promise.all([
    db.backup.findMany({ where: { status: 'succeeded' } }),
    db.schedule.findMany(),
    db.target.findMany({ select: { id: true, name: true, keepLast: true } }),
    backupsInUse(db),
  ]);
  const byId = new Map(backups.map((b) => [b.id, b]));
  const decisions = planCatalogRetention(
    backups,
    { schedules: new Map(schedules.map((s) => [s.id, s])), targets: new Map(targets.map((t) => [t.id, t])) },
    { timeZone, protectedIds: inUse },
  );
  return new Map(decisions.map((d) => [d.id, { ...d, backup: byId.get(d.id) as Backup }]));
}

export interface ScheduleRetentionPlan {
  schedule: Schedule;
  /** The schedule's own successful backups, newest first, each with what retention does to it and why. */
  decisions: PlannedBackup[];
}

/** What retention keeps and deletes now among the schedule's backups (its policy and their targets' "keep last"). */
export async function planScheduleRetention(db: Db, schedule: Schedule, timeZone: string): Promise<ScheduleRetentionPlan> {
  const plan = await planCatalog(db, timeZone);
  return { schedule, decisions: [...plan.values()].filter((d) => d.backup.scheduleId === schedule.id) };
}

export interface RetentionOutcome {
  kept: string[];
  deleted: string[];
  failed: { id: string; message: string }[];
}

type Log = (message: string, level?: 'info' | 'warn' | 'error') => Promise<void>;

/**
 * Applies retention after a backup succeeded (never after a failed one: runBackup throws
 * first). It looks at the backups of that backup's schedule and, when its target has a "keep
 * last", at every backup on that target; each is deleted only when the combined plan
 * (planCatalogRetention) drops it. Deletion is crash-safe (deleteBackup); one that fails is
 * logged and left `deleting` for the cleanup pass. Null when no retention applies at all
 * (a backup by hand to a target without "keep last").
 */
export async function applyRetentionAfterBackup(
  db: Db,
  instanceKey: Buffer,
  backupId: string,
  { timeZone, log }: { timeZone: string; log: Log },
): Promise<RetentionOutcome | null> {
  const made = await db.backup.findUnique({ where: { id: backupId }, include: { target: true } });
  if (!made) return null;
  const schedule = made.scheduleId ? await db.schedule.findUnique({ where: { id: made.scheduleId } }) : null;
  if (made.scheduleId && !schedule)
    await log('The schedule of this backup no longer exists; only its target’s retention applies.', 'warn');
  const targetKeepLast = made.target.keepLast;
  if (!schedule && targetKeepLast === null) return null;

  const inScope = (b: Backup) =>
    (schedule !== null && b.scheduleId === schedule.id) || (targetKeepLast !== null && b.targetId === made.targetId);
  const decisions = [...(await planCatalog(db, timeZone)).values()].filter((d) => inScope(d.backup));
  const outcome: RetentionOutcome = { kept: [], deleted: [], failed: [] };
  const drop = decisions.filter((d) => d.action === 'delete');
  for (const d of decisions) if (d.action === 'keep') outcome.kept.push(d.id);
  const rules = [
    schedule && `schedule "${schedule.name}"`,
    targetKeepLast !== null && `target "${made.target.name}" keeps its last ${targetKeepLast}`,
  ]
    .filter(Boolean)
    .join('; ');
  if (drop.length === 0) {
    await log(`Retention (${rules}): keeping all ${decisions.length} backups.`);
    return outcome;
  }
  await log(`Retention (${rules}): keeping ${outcome.kept.length}, deleting ${drop.length}.`);
  for (const { backup } of drop) {
    try {
      const result = await deleteBackup(db, instanceKey, backup);
      if (result === 'in-use') {
        outcome.kept.push(backup.id);
        await log(`Backup ${backup.id} is in use now; kept.`);
      } else if (result === 'deleted') {
        outcome.deleted.push(backup.id);
        await log(`Deleted backup ${backup.id} from ${backup.startedAt.toISOString()} (no retention rule keeps it).`);
      }
    } catch (error) {
      const message = error instanceof AppError || error instanceof Error ? error.message : String(error);
      outcome.failed.push({ id: backup.id, message });
      await log(
        `Could not delete backup ${backup.id}: ${message} It is marked "deleting" and the cleanup pass finishes it.`,
        'error',
      );
    }
  }
  return outcome;
}

/** "newest, last 3, daily 2026-11-25": the reasons of one decision, for logs and the CLI. */
export function reasonsText(decision: RetentionDecision): string {
  return decision.reasons.map(reasonLabel).join(', ');
}
