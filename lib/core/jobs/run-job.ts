import type { Db } from '../db/client';
import { AppError, isAppError } from '../errors';
import type { Job } from '../generated/prisma/client';
import { DEFAULT_LEASE_MS } from './claim-job';
import { finishJob, heartbeatJob, retryJobLater } from './finish-job';
import { JobFailedWithResult } from './job-failed-with-result';
import type { JobHandlers } from './job-handler';
import { appendJobLog, ProgressReporter } from './job-progress';
import { isJobType, type JobStatus, jobPayloadSchemas } from './job-types';

export interface RunJobOptions {
  workerId: string;
  /** Aborted when the process shuts down: the job is recorded as cancelled. */
  shutdownSignal?: AbortSignal;
  leaseMs?: number;
  heartbeatMs?: number;
}

type AbortReason = 'cancel' | 'shutdown' | 'lease-lost';

const CANCEL_MESSAGES: Record<Exclude<AbortReason, 'lease-lost'>, string> = {
  cancel: 'Cancelled by the user.',
  shutdown: 'Cancelled: the worker was shut down while the job ran.',
};

function parsePayload(job: Job): unknown {
  if (!isJobType(job.type)) throw new AppError('invalid_input', `Unknown job type "${job.type}".`);
  let raw: unknown;
  try {
    raw = JSON.parse(job.payload);
  } catch {
    throw new AppError('invalid_input', 'The job payload is not valid JSON.');
  }
  const parsed = jobPayloadSchemas[job.type].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError('invalid_input', `Invalid ${job.type} payload: ${issue?.path.join('.') || 'payload'} ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * Runs a job this process has claimed: heartbeats its lease, watches for cancel, calls the
 * handler and records the outcome. Never throws for a job failure; returns the final status.
 */
export async function runClaimedJob(db: Db, job: Job, handlers: JobHandlers, options: RunJobOptions): Promise<JobStatus> {
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const controller = new AbortController();
  let abortReason: AbortReason | null = null;
  const abort = (reason: AbortReason) => {
    if (abortReason) return;
    abortReason = reason;
    controller.abort(new AppError('cancelled', reason === 'lease-lost' ? 'Lease lost.' : CANCEL_MESSAGES[reason]));
  };
  const onShutdown = () => abort('shutdown');
  options.shutdownSignal?.addEventListener('abort', onShutdown, { once: true });
  if (options.shutdownSignal?.aborted) onShutdown();

  const heartbeat = setInterval(
    () => {
      heartbeatJob(db, job.id, options.workerId, leaseMs)
        .then(({ owned, cancelRequested }) => {
          if (!owned) abort('lease-lost');
          else if (cancelRequested) abort('cancel');
        })
        .catch(() => {
          // A missed heartbeat is retried on the next tick; the lease covers several ticks.
        });
    },
    options.heartbeatMs ?? Math.min(2_000, leaseMs / 3),
  );

  const progress = new ProgressReporter(db, job.id, options.workerId);
  const log = (message: string, level: 'debug' | 'info' | 'warn' | 'error' = 'info') => appendJobLog(db, job.id, message, level);
  try {
    if (job.cancelRequested) abort('cancel');
    const payload = parsePayload(job);
    const handler = handlers[job.type as keyof JobHandlers] as (ctx: unknown) => Promise<unknown>;
    await log(`Started ${job.type} (attempt ${job.attempts} of ${job.maxAttempts}).`);
    const result = await handler({
      jobId: job.id,
      payload,
      signal: controller.signal,
      log,
      reportProgress: (u: object) => progress.report(u),
    });
    if (abortReason) throw controller.signal.reason;
    await progress.flush();
    await log('Finished.');
    if (await finishJob(db, job.id, options.workerId, { status: 'succeeded', result: result ?? null })) return 'succeeded';
    return currentStatus(db, job.id); // another process took the job over meanwhile
  } catch (error) {
    await progress.flush();
    return recordFailure(db, job, options.workerId, error, abortReason);
  } finally {
    clearInterval(heartbeat);
    options.shutdownSignal?.removeEventListener('abort', onShutdown);
  }
}

async function currentStatus(db: Db, jobId: string): Promise<JobStatus> {
  const current = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
  return (current?.status as JobStatus | undefined) ?? 'failed';
}

async function recordFailure(
  db: Db,
  job: Job,
  workerId: string,
  error: unknown,
  abortReason: AbortReason | null,
): Promise<JobStatus> {
  // Another process decided this job's fate; report what it decided, write nothing.
  if (abortReason === 'lease-lost') return currentStatus(db, job.id);
  if (abortReason) {
    const message = CANCEL_MESSAGES[abortReason];
    await appendJobLog(db, job.id, message, 'warn');
    await finishJob(db, job.id, workerId, { status: 'cancelled', errorCode: 'cancelled', errorMessage: message });
    return 'cancelled';
  }
  const appError = isAppError(error)
    ? error
    : new AppError('internal', `Unexpected error: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  await appendJobLog(db, job.id, appError.message, 'error');
  if (appError.retryable && job.attempts < job.maxAttempts) {
    await retryJobLater(db, job.id, workerId, job.attempts, appError);
    return 'queued';
  }
  await finishJob(db, job.id, workerId, {
    status: 'failed',
    errorCode: appError.code,
    errorMessage: appError.message,
    result: appError instanceof JobFailedWithResult ? appError.result : undefined,
  });
  return 'failed';
}
