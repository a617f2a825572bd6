import type { Db } from '../db/client';
import { AppError } from '../errors';
import { isTerminalStatus } from './job-types';

export type LockPurpose = 'backup' | 'restore' | 'verify';

/**
 * Takes the per-app locks for a job, all or none: a backup and a restore of the same app never
 * run at once (the worker runs one job at a time, but the CLI runs jobs in its own process).
 * A lock held by a job that has ended is stale and is taken over. The locks are inserted in
 * one statement, so of two jobs racing for an app exactly one gets it. Returns a release.
 */
export async function acquireAppLocks(
  db: Db,
  appIds: string[],
  jobId: string,
  purpose: LockPurpose,
): Promise<() => Promise<void>> {
  const ids = [...new Set(appIds)].sort();
  const release = async () => {
    await db.appLock.deleteMany({ where: { appId: { in: ids }, jobId } });
  };
  if (ids.length === 0) return release;
  for (const lock of await db.appLock.findMany({ where: { appId: { in: ids } } })) {
    if (lock.jobId === jobId) continue;
    const holder = await db.job.findUnique({ where: { id: lock.jobId }, select: { status: true } });
    if (holder && !isTerminalStatus(holder.status)) throw busy(lock.appId, lock.purpose, lock.jobId);
    await db.appLock.deleteMany({ where: { appId: lock.appId, jobId: lock.jobId } });
  }
  try {
    await db.appLock.createMany({ data: ids.map((appId) => ({ appId, jobId, purpose })) });
  } catch (error) {
    if ((error as { code?: string }).code !== 'P2002') throw error;
    const winner = await db.appLock.findFirst({ where: { appId: { in: ids }, NOT: { jobId } } });
    throw busy(winner?.appId ?? ids[0] ?? '', winner?.purpose ?? 'job', winner?.jobId ?? 'unknown');
  }
  return release;
}

function busy(appId: string, purpose: string, jobId: string): AppError {
  return new AppError(
    'conflict',
    `The app "${appId}" is busy with another ${purpose} (job ${jobId}); try again when it has finished.`,
  );
}
