import { archiveKey, manifestKey } from '../backup/repository';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import type { Backup } from '../generated/prisma/client';
import { openTargetById } from '../targets/targets';
import { backupsInUse } from './backups-in-use';

export type DeleteOutcome = 'deleted' | 'in-use' | 'gone';

/**
 * Removes one backup that retention dropped, in an order a crash cannot turn into a lie:
 *
 * 1. the catalog row becomes `deleting` (compare-and-set from `succeeded`, so two processes
 *    never both take it, and from now on nothing offers it for a restore);
 * 2. the manifest goes (from then on it is no backup on the target either);
 * 3. the object goes; 4. the catalog row goes.
 *
 * A crash or an unreachable target leaves a `deleting` row that `finishDeletion` completes
 * later (target deletes are idempotent). "In use" is checked before and again after the row is
 * marked, so a restore or verification queued meanwhile keeps its backup.
 */
export async function deleteBackup(db: Db, instanceKey: Buffer, backup: Backup): Promise<DeleteOutcome> {
  if ((await backupsInUse(db)).has(backup.id)) return 'in-use';
  const marked = await db.backup.updateMany({ where: { id: backup.id, status: 'succeeded' }, data: { status: 'deleting' } });
  if (marked.count === 0) return 'gone';
  if ((await backupsInUse(db)).has(backup.id)) {
    await db.backup.update({ where: { id: backup.id }, data: { status: 'succeeded' } });
    return 'in-use';
  }
  await finishDeletion(db, instanceKey, backup);
  return 'deleted';
}

/** Steps 2–4 of deleteBackup, for a row already marked `deleting`. Throws when the target refuses; the row then stays `deleting`. */
export async function finishDeletion(db: Db, instanceKey: Buffer, backup: Pick<Backup, 'id' | 'targetId' | 'objectKey'>) {
  // Only ever this backup's own keys, whatever a (hand-edited) row says its object is.
  if (backup.objectKey !== archiveKey(backup.id))
    throw new AppError('internal', `Backup ${backup.id} names an unexpected object ${backup.objectKey}; not deleted.`);
  const target = await openTargetById(db, instanceKey, backup.targetId);
  try {
    await target.delete(manifestKey(backup.id));
    await target.delete(backup.objectKey);
  } finally {
    await target.close().catch(() => {});
  }
  await db.backup.deleteMany({ where: { id: backup.id, status: 'deleting' } });
}
