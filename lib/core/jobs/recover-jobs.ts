import { hostname } from 'node:os';
import type { Db } from '../db/client';
import { appendJobLog } from './job-progress';

/** Lease owners are `host/pid/random`, so a worker can tell whether a local owner still lives. */
export function makeWorkerId(kind: string): string {
  return `${hostname()}/${process.pid}/${kind}-${Math.random().toString(36).slice(2, 8)}`;
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the owner ran on this host and its process is gone (no need to wait for the lease). */
export function isLocalOwnerDead(owner: string): boolean {
  const [host, pidText] = owner.split('/');
  const pid = Number(pidText);
  return host === hostname() && Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid);
}

export const INTERRUPTED_MESSAGE =
  'The job was interrupted: the process running it stopped (crash, kill or power loss). Nothing it did was recorded as complete; start it again.';

/**
 * Finds running jobs whose owner is gone (lease expired, or a dead local process) and either
 * re-queues them (attempts left) or fails them as interrupted. Never leaves a job "running"
 * without a live owner. Returns the ids it touched.
 */
export async function recoverInterruptedJobs(
  db: Db,
  { now = new Date(), ownerIsDead = isLocalOwnerDead }: { now?: Date; ownerIsDead?: (owner: string) => boolean } = {},
): Promise<string[]> {
  const running = await db.job.findMany({ where: { status: 'running' } });
  const recovered: string[] = [];
  for (const job of running) {
    const expired = !job.leaseExpiresAt || job.leaseExpiresAt.getTime() < now.getTime();
    if (!expired && !(job.leaseOwner && ownerIsDead(job.leaseOwner))) continue;
    const requeue = job.attempts < job.maxAttempts && !job.cancelRequested;
    const { count } = await db.job.updateMany({
      where: { id: job.id, status: 'running', leaseOwner: job.leaseOwner },
      data: requeue
        ? { status: 'queued', leaseOwner: null, leaseExpiresAt: null, runAt: now, updatedAt: now }
        : {
            status: 'failed',
            errorCode: 'interrupted',
            errorMessage: INTERRUPTED_MESSAGE,
            leaseOwner: null,
            leaseExpiresAt: null,
            finishedAt: now,
            updatedAt: now,
          },
    });
    if (count === 1) {
      recovered.push(job.id);
      await appendJobLog(db, job.id, requeue ? 'Interrupted; queued to run again.' : INTERRUPTED_MESSAGE, 'error');
    }
  }
  return recovered;
}
