import type { Db } from '../db/client';
import { AppError } from '../errors';
import { appendJobLog } from './job-progress';
import { isTerminalStatus, type JobView, toJobView } from './job-types';

/**
 * Cancels a queued job at once; asks a running one to stop (its worker sees the flag at the
 * next heartbeat and aborts the handler's signal). A finished job cannot be cancelled.
 */
export async function cancelJob(db: Db, jobId: string): Promise<JobView> {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError('not_found', 'No such job.');
  if (isTerminalStatus(job.status)) throw new AppError('conflict', `The job already ended (${job.status}).`);
  const now = new Date();
  const queued = await db.job.updateMany({
    where: { id: jobId, status: 'queued' },
    data: {
      status: 'cancelled',
      cancelRequested: true,
      finishedAt: now,
      updatedAt: now,
      errorCode: 'cancelled',
      errorMessage: 'Cancelled before it started.',
    },
  });
  if (queued.count === 0) {
    await db.job.updateMany({ where: { id: jobId, status: 'running' }, data: { cancelRequested: true, updatedAt: now } });
  }
  await appendJobLog(db, jobId, 'Cancellation requested.', 'warn');
  return toJobView(await db.job.findUniqueOrThrow({ where: { id: jobId } }));
}
