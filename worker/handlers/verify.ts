import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import type { JobHandler } from '../../lib/core/jobs/job-handler';
import { verifyBackup } from '../../lib/core/restore/verify-backup';

/**
 * A verify job. A corrupted or missing backup is the job's result (it did its work), stored
 * with the backup; only a target that cannot be read fails the job.
 */
export const runVerifyJob: JobHandler<'verify'> = async ({ payload, signal, log, reportProgress }) => {
  const { db, instanceKey } = await prepareInstance();
  const result = await verifyBackup(db, instanceKey, payload.backupId, {
    signal,
    onProgress: ({ bytesDone, bytesTotal }) => reportProgress({ phase: 'Reading and authenticating', bytesDone, bytesTotal }),
  });
  await log(`Verification of ${result.backupId}: ${result.result}. ${result.message}`, result.result === 'ok' ? 'info' : 'error');
  return result;
};
