import type { Db } from '../lib/core/db/client';
import { claimJobById } from '../lib/core/jobs/claim-job';
import { isTerminalStatus, type JobView } from '../lib/core/jobs/job-types';
import { getJob } from '../lib/core/jobs/list-jobs';
import { makeWorkerId } from '../lib/core/jobs/recover-jobs';
import { runClaimedJob } from '../lib/core/jobs/run-job';
import { sleep } from '../lib/core/util/sleep';
import { jobHandlers } from '../worker/handlers';

/**
 * Runs a queued job in this process, unless a worker claimed it first; then follows it.
 * Ctrl-C cancels the job (recorded as cancelled, its partial work removed). `onProgress`
 * sees the job row about twice a second.
 */
export async function runJobHere(db: Db, jobId: string, onProgress?: (job: JobView) => void): Promise<JobView> {
  const workerId = makeWorkerId('cli');
  const claimed = await claimJobById(db, jobId, { workerId });
  let watching = true;
  const watch = (async () => {
    while (watching) {
      const job = await getJob(db, jobId).catch(() => null);
      if (job && !isTerminalStatus(job.status)) onProgress?.(job);
      await sleep(500);
    }
  })();
  try {
    if (claimed) {
      const shutdown = new AbortController();
      const onSignal = () => shutdown.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await runClaimedJob(db, claimed, jobHandlers, { workerId, shutdownSignal: shutdown.signal });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    }
    for (;;) {
      const job = await getJob(db, jobId);
      if (isTerminalStatus(job.status)) return job;
      await sleep(500);
    }
  } finally {
    watching = false;
    await watch;
  }
}
