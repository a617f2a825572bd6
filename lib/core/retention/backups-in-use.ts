import type { Db } from '../db/client';

/**
 * Backups a queued or running job refers to (a restore or verification names its backup as
 * `backupId` in its payload): retention must not delete them from under it.
 */
export async function backupsInUse(db: Db): Promise<Set<string>> {
  const jobs = await db.job.findMany({ where: { status: { in: ['queued', 'running'] } }, select: { payload: true } });
  const ids = new Set<string>();
  for (const { payload } of jobs) {
    try {
      const backupId = (JSON.parse(payload) as { backupId?: unknown }).backupId;
      if (typeof backupId === 'string') ids.add(backupId);
    } catch {
      // A payload that is not JSON names no backup.
    }
  }
  return ids;
}
