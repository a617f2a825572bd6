import { hostname } from 'node:os';
import type { Db } from '../lib/core/db/client';
import { claimNextJob } from '../lib/core/jobs/claim-job';
import type { JobHandlers } from '../lib/core/jobs/job-handler';
import { recoverInterruptedJobs } from '../lib/core/jobs/recover-jobs';
import { runClaimedJob } from '../lib/core/jobs/run-job';
import { sleep } from '../lib/core/util/sleep';

export interface WorkerLoopOptions {
  workerId: string;
  handlers: JobHandlers;
  /** Aborting it stops the loop and cancels the running job. */
  signal: AbortSignal;
  pollMs?: number;
  heartbeatMs?: number;
  recoverEveryMs?: number;
  /** Cleans up after interrupted work once their jobs are recovered (e.g. partial uploads). */
  recoverMore?: () => Promise<unknown>;
  /**
   * Removes what failed and interrupted uploads left on the targets: after the first recovery,
   * then every `cleanUpEveryMs`, one pass at a time, in the background — a target that does not
   * answer must not hold up the jobs, and the pass never touches a running backup's upload.
   */
  cleanUp?: () => Promise<unknown>;
  cleanUpEveryMs?: number;
  /** One scheduler pass (enqueue due schedule fires); must be cheap, it runs about every second. */
  tickSchedules?: () => Promise<unknown>;
  tickEveryMs?: number;
  onError?: (error: unknown) => void;
}

async function beat(db: Db, workerId: string): Promise<void> {
  const now = new Date();
  await db.workerHeartbeat.upsert({
    where: { id: workerId },
    create: { id: workerId, pid: process.pid, hostname: hostname(), startedAt: now, heartbeatAt: now },
    update: { heartbeatAt: now },
  });
}

/**
 * The worker's main loop: recover interrupted jobs, then claim and run one job at a time until
 * the signal aborts. Backups are disk- and network-bound; running them one at a time keeps a
 * small home server responsive and the targets' bandwidth for one job.
 */
export async function runWorkerLoop(db: Db, options: WorkerLoopOptions): Promise<void> {
  const { workerId, signal } = options;
  const onError = options.onError ?? (() => {});
  await beat(db, workerId);
  const heartbeat = setInterval(() => beat(db, workerId).catch(onError), options.heartbeatMs ?? 5_000);
  let lastRecovery = 0;
  let lastCleanup = 0;
  let cleaning: Promise<unknown> | null = null;
  // Ticks also run on a timer, not only between jobs: a backup may take hours, and other
  // schedules' fires must not fall out of the grace window meanwhile. One tick at a time.
  let ticking = false;
  let tickTimer: NodeJS.Timeout | undefined;
  const tick = () => {
    if (ticking || !options.tickSchedules) return;
    ticking = true;
    options
      .tickSchedules()
      .catch(onError)
      .finally(() => {
        ticking = false;
      });
  };
  try {
    while (!signal.aborted) {
      try {
        if (Date.now() - lastRecovery >= (options.recoverEveryMs ?? 15_000)) {
          lastRecovery = Date.now();
          await recoverInterruptedJobs(db);
          await options.recoverMore?.();
        }
        if (options.cleanUp && !cleaning && Date.now() - lastCleanup >= (options.cleanUpEveryMs ?? 3_600_000)) {
          lastCleanup = Date.now();
          cleaning = options
            .cleanUp()
            .catch(onError)
            .finally(() => {
              cleaning = null;
            });
        }
        // Only after the first recovery: a job left "running" by a dead worker would make its
        // schedule's next fire look skipped.
        tickTimer ??= setInterval(tick, options.tickEveryMs ?? 1_000);
        tick();
        const job = await claimNextJob(db, { workerId });
        if (job) {
          await runClaimedJob(db, job, options.handlers, { workerId, shutdownSignal: signal });
          continue;
        }
      } catch (error) {
        onError(error);
      }
      await sleep(options.pollMs ?? 1_000, signal).catch(() => {});
    }
  } finally {
    clearInterval(heartbeat);
    clearInterval(tickTimer);
    // A pass stuck on an unreachable target does not hold up the shutdown for long; it is
    // crash-safe wherever it stops.
    if (cleaning) await Promise.race([cleaning, sleep(5_000)]);
    await db.workerHeartbeat.deleteMany({ where: { id: workerId } }).catch(onError);
  }
}
