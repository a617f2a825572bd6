import type { Db } from '../db/client';
import { AppError } from '../errors';
import { findTarget } from './targets';

/**
 * What depends on a target, so the UI can say what removing it means. One entry per kind of
 * dependent (schedules join when they exist).
 */
export interface TargetDependents {
  /** Catalog rows (any status) whose objects live on this target; `latestAt` is ISO 8601. */
  backups: { count: number; running: number; latestAt: string | null };
}

type Reader = Pick<Db, 'backup'>;

async function readDependents(db: Reader, targetId: string): Promise<TargetDependents> {
  const [count, running, latest] = await Promise.all([
    db.backup.count({ where: { targetId } }),
    db.backup.count({ where: { targetId, status: 'running' } }),
    db.backup.findFirst({ where: { targetId }, orderBy: { startedAt: 'desc' }, select: { startedAt: true } }),
  ]);
  return { backups: { count, running, latestAt: latest?.startedAt.toISOString() ?? null } };
}

export async function targetDependents(db: Db, name: string): Promise<TargetDependents> {
  return readDependents(db, (await findTarget(db, name)).id);
}

/** "3 backups in the catalog use this target (the latest from 2026-…)", or null when nothing does. */
export function describeDependents(dependents: TargetDependents): string | null {
  const { count, latestAt } = dependents.backups;
  if (count === 0) return null;
  const backups = count === 1 ? '1 backup in the catalog uses' : `${count} backups in the catalog use`;
  return `${backups} this target${latestAt ? ` (the latest from ${latestAt.slice(0, 10)})` : ''}.`;
}

/**
 * Removes a target. While catalog backups use it, it refuses (conflict) unless
 * `forgetBackups` is set; then the target and its catalog rows go in one transaction. The
 * stored objects on the target are never touched: they stay restorable by adding the target
 * again and importing them. A backup still running blocks the removal either way.
 */
export async function removeTarget(db: Db, name: string, options: { forgetBackups?: boolean } = {}): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await tx.target.findUnique({ where: { name } });
    if (!row) throw new AppError('not_found', `There is no target named "${name}".`);
    // Schedules are not "forgotten" with the target: each is a user's intent, removed on purpose.
    const schedules = await tx.schedule.findMany({ where: { targetId: row.id }, select: { name: true } });
    if (schedules.length > 0) {
      const names = schedules.map((s) => `"${s.name}"`).join(', ');
      throw new AppError(
        'conflict',
        `The schedule${schedules.length > 1 ? 's' : ''} ${names} back up to "${name}"; remove them or point them at another target first.`,
      );
    }
    const dependents = await readDependents(tx, row.id);
    if (dependents.backups.running > 0) {
      throw new AppError(
        'conflict',
        `A backup to "${name}" is running; wait for it to finish or cancel it, then remove the target.`,
      );
    }
    const what = describeDependents(dependents);
    if (what && !options.forgetBackups) {
      throw new AppError(
        'conflict',
        `${what} Remove it only together with those catalog entries (the files on the target stay untouched), or keep it.`,
      );
    }
    await tx.backup.deleteMany({ where: { targetId: row.id } });
    await tx.target.delete({ where: { id: row.id } });
  });
}
