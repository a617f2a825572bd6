import type { Db } from '../db/client';
import type { AppErrorCode } from '../errors';

export interface JobOutcome {
  status: 'succeeded' | 'failed' | 'cancelled';
  result?: unknown;
  errorCode?: AppErrorCode | string;
  errorMessage?: string;
}

/**
 * Records the end of a running job, only if `leaseOwner` still holds it: a worker whose
 * lease was recovered by another must not overwrite that decision. Returns false then.
 */
export async function finishJob(db: Db, jobId: string, leaseOwner: string, outcome: JobOutcome): Promise<boolean> {
  const now = new Date();
  const { count } = await db.job.updateMany({
    where: { id: jobId, leaseOwner, status: 'running' },
    data: {
      status: outcome.status,
      result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
      errorCode: outcome.errorCode ?? null,
      errorMessage: outcome.errorMessage ?? null,
      leaseOwner: null,
      leaseExpiresAt: null,
      finishedAt: now,
      updatedAt: now,
      ...(outcome.status === 'succeeded' ? { message: null } : {}),
    },
  });
  return count === 1;
}

/** Puts a failed attempt back in the queue with exponential backoff (5 s, 10 s, 20 s, …). */
export async function retryJobLater(
  db: Db,
  jobId: string,
  leaseOwner: string,
  attempts: number,
  error: { code: string; message: string },
): Promise<boolean> {
  const now = new Date();
  const delayMs = Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);
  const { count } = await db.job.updateMany({
    where: { id: jobId, leaseOwner, status: 'running' },
    data: {
      status: 'queued',
      runAt: new Date(now.getTime() + delayMs),
      leaseOwner: null,
      leaseExpiresAt: null,
      errorCode: error.code,
      errorMessage: error.message,
      updatedAt: now,
    },
  });
  return count === 1;
}

/** Extends the lease; returns whether the caller still owns the job and whether cancel was asked. */
export async function heartbeatJob(
  db: Db,
  jobId: string,
  leaseOwner: string,
  leaseMs: number,
): Promise<{ owned: boolean; cancelRequested: boolean }> {
  const now = new Date();
  const { count } = await db.job.updateMany({
    where: { id: jobId, leaseOwner, status: 'running' },
    data: { heartbeatAt: now, leaseExpiresAt: new Date(now.getTime() + leaseMs) },
  });
  if (count === 0) return { owned: false, cancelRequested: false };
  const job = await db.job.findUnique({ where: { id: jobId }, select: { cancelRequested: true } });
  return { owned: true, cancelRequested: job?.cancelRequested ?? false };
}
