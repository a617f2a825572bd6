import type { Db } from '../db/client';
import type { Backup, Schedule } from '../generated/prisma/client';
import { backupsInUse } from './backups-in-use';
import { type CatalogCandidate, planCatalogRetention } from './catalog-retention';
import type { RetentionDecision, RetentionPolicy } from './retention';

export interface RetentionPreviewRow {
  backup: Backup;
  targetName: string;
  /** What retention decides about it now, and which rules keep it. */
  now: RetentionDecision;
  /** Whether it is still kept once the schedule's next backup exists (retention runs right after it). */
  afterNextRun: 'keep' | 'delete';
}

export interface RetentionPreview {
  schedule: Schedule;
  targetRules: { name: string; keepLast: number }[];
  /** The schedule's successful backups, newest first. */
  rows: RetentionPreviewRow[];
  /** When the next backup is assumed to be taken (its next fire, or now). */
  nextRunAt: Date;
}

const PLACEHOLDER_ID = '~next-backup';

/**
 * The retention page of a schedule: for each of its successful backups, what the policy keeps
 * now and why, and what retention would delete after the schedule's next successful backup —
 * the plan recomputed with a stand-in for that backup at `nextRunAt`. Pure reading.
 */
export async function previewScheduleRetention(
  db: Db,
  schedule: Schedule,
  { timeZone, nextRunAt }: { timeZone: string; nextRunAt: Date },
): Promise<RetentionPreview> {
  const [backups, schedules, targets, inUse] = await Promise.all([
    db.backup.findMany({ where: { status: 'succeeded' } }),
    db.schedule.findMany(),
    db.target.findMany({ select: { id: true, name: true, keepLast: true } }),
    backupsInUse(db),
  ]);
  const rules = {
    schedules: new Map<string, RetentionPolicy>(schedules.map((s) => [s.id, s])),
    targets: new Map(targets.map((t) => [t.id, t])),
  };
  const options = { timeZone, protectedIds: inUse };
  const now = new Map(planCatalogRetention(backups, rules, options).map((d) => [d.id, d]));
  const next: CatalogCandidate = {
    id: PLACEHOLDER_ID,
    startedAt: nextRunAt,
    scheduleId: schedule.id,
    targetId: schedule.targetId,
  };
  const after = new Map(planCatalogRetention([...backups, next], rules, options).map((d) => [d.id, d.action]));
  const targetName = new Map(targets.map((t) => [t.id, t.name]));
  const own = backups
    .filter((b) => b.scheduleId === schedule.id)
    .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1));
  const involvedTargets = new Set([schedule.targetId, ...own.map((b) => b.targetId)]);
  return {
    schedule,
    nextRunAt,
    targetRules: targets
      .filter((t) => involvedTargets.has(t.id) && t.keepLast !== null)
      .map((t) => ({ name: t.name, keepLast: t.keepLast as number })),
    rows: own.map((backup) => ({
      backup,
      targetName: targetName.get(backup.targetId) ?? '?',
      now: now.get(backup.id) as RetentionDecision,
      afterNextRun: after.get(backup.id) ?? 'keep',
    })),
  };
}
