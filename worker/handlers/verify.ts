import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import type { JobHandler } from '../../lib/core/jobs/job-handler';
import { verifyBackup } from '../../lib/core/restore/verify-backup';
import { readTimeZone } from '../../lib/core/schedules/time-zone-setting';
import { runVerification } from '../../lib/core/verification/run-verification';

/**
 * A verify job. With `checks` in its payload it runs a verification (lib/core/verification):
 * its checks' results are the job's result, failed checks included — the job did its work.
 * Without, it is the manual verify: a corrupted or missing backup is the job's result, stored
 * with the backup. Either way only a target that cannot be read (or a cancel) fails the job.
 */
export const runVerifyJob: JobHandler<'verify'> = async ({ jobId, payload, signal, log, reportProgress }) => {
  const { db, instanceKey } = await prepareInstance();
  if (payload.checks) {
    const { dataDir } = getEnv();
    const timeZone = await readTimeZone(db, getEnv().timeZone);
    return runVerification(payload, { db, instanceKey, dataDir, timeZone, jobId, signal, log, reportProgress });
  }
  const result = await verifyBackup(db, instanceKey, payload.backupId, {
    signal,
    onProgress: ({ bytesDone, bytesTotal }) => reportProgress({ phase: 'Reading and authenticating', bytesDone, bytesTotal }),
  });
  await log(`Verification of ${result.backupId}: ${result.result}. ${result.message}`, result.result === 'ok' ? 'info' : 'error');
  return result;
};
