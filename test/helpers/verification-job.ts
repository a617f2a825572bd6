import { claimJobById } from '@/lib/core/jobs/claim-job';
import type { JobHandler } from '@/lib/core/jobs/job-handler';
import type { ProgressUpdate } from '@/lib/core/jobs/job-progress';
import type { JobStatus } from '@/lib/core/jobs/job-types';
import { runClaimedJob } from '@/lib/core/jobs/run-job';
import { runVerification } from '@/lib/core/verification/run-verification';
import { startVerification } from '@/lib/core/verification/start-verification';
import type { VerificationOptions } from '@/lib/core/verification/verification-request';
import type { VerificationView } from '@/lib/core/verification/verification-view';
import { getLatestVerification } from '@/lib/core/verification/verifications';
import { jobHandlers } from '@/worker/handlers';
import type { BackupHarness } from './backup-harness';

export interface VerificationRun {
  status: JobStatus;
  verification: VerificationView;
  phases: string[];
}

/**
 * Starts a verification and runs its job here as the worker would (claim, lease, cancel,
 * the handler's own code path), with the harness's instance as the worker's environment.
 * `onProgress` may abort `shutdown` to cancel it mid-way.
 */
export async function runVerificationJob(
  harness: BackupHarness,
  backupId: string,
  options: VerificationOptions & {
    now?: () => Date;
    shutdown?: AbortController;
    onProgress?: (update: ProgressUpdate) => void;
  } = {},
): Promise<VerificationRun> {
  const { now, shutdown, onProgress, ...request } = options;
  const { db } = harness.instance;
  const { jobId } = await startVerification(db, backupId, { createdBy: 'test', ...request });
  const phases: string[] = [];
  const verify: JobHandler<'verify'> = (context) =>
    runVerification(context.payload, {
      db,
      instanceKey: harness.instanceKey,
      dataDir: harness.instance.dir,
      timeZone: 'UTC',
      jobId: context.jobId,
      signal: context.signal,
      log: context.log,
      reportProgress: (update) => {
        if (update.phase && phases.at(-1) !== update.phase) phases.push(update.phase);
        context.reportProgress(update);
        onProgress?.(update);
      },
      now,
    });
  const claimed = await claimJobById(db, jobId, { workerId: `test/${process.pid}/verify` });
  if (!claimed) throw new Error('the verification job was not claimable');
  const status = await runClaimedJob(
    db,
    claimed,
    { ...jobHandlers, verify },
    {
      workerId: `test/${process.pid}/verify`,
      shutdownSignal: shutdown?.signal,
    },
  );
  const verification = await getLatestVerification(db, backupId);
  if (!verification) throw new Error('no verification recorded');
  return { status, verification, phases };
}

/** The checks of a verification as name → result, for compact assertions. */
export function resultsOf(verification: VerificationView): Record<string, string> {
  return Object.fromEntries(verification.checks.map((c) => [c.name, c.result]));
}
