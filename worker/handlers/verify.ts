import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { JobFailedWithResult } from '../../lib/core/jobs/job-failed-with-result';
import type { JobHandler } from '../../lib/core/jobs/job-handler';
import { verifyBackup } from '../../lib/core/restore/verify-backup';
import { readTimeZone } from '../../lib/core/schedules/time-zone-setting';
import { runVerification } from '../../lib/core/verification/run-verification';
import type { VerificationView } from '../../lib/core/verification/verification-view';

/**
 * A verify job. With `checks` in its payload it runs a verification (lib/core/verification);
 * without, it is the manual verify, whose ok / corrupted / missing is stored with the backup.
 * A backup found bad fails the job (JobFailedWithResult), so lists and badges show it, and the
 * job keeps what was found as its result; a target that cannot be read or a cancel fail it too.
 */
export const runVerifyJob: JobHandler<'verify'> = async ({ jobId, payload, signal, log, reportProgress }) => {
  const { db, instanceKey } = await prepareInstance();
  if (payload.checks) {
    const { dataDir } = getEnv();
    const timeZone = await readTimeZone(db, getEnv().timeZone);
    const verification = await runVerification(payload, {
      db,
      instanceKey,
      dataDir,
      timeZone,
      jobId,
      signal,
      log,
      reportProgress,
    });
    if (verification.state === 'failed')
      throw new JobFailedWithResult('corrupted', failedChecksMessage(verification), verification);
    return verification;
  }
  const result = await verifyBackup(db, instanceKey, payload.backupId, {
    signal,
    onProgress: ({ bytesDone, bytesTotal }) => reportProgress({ phase: 'Reading and authenticating', bytesDone, bytesTotal }),
  });
  await log(`Verification of ${result.backupId}: ${result.result}. ${result.message}`, result.result === 'ok' ? 'info' : 'error');
  // A backup found corrupted or missing fails its job (red in every list), keeping the result.
  if (result.result !== 'ok')
    throw new JobFailedWithResult(
      result.result === 'missing' ? 'not_found' : 'corrupted',
      `Backup ${result.backupId} is ${result.result}: ${result.message}`,
      result,
    );
  return result;
};

function failedChecksMessage(verification: VerificationView): string {
  const failed = verification.checks.filter((c) => c.result === 'fail');
  if (failed.length === 0)
    return `The verification of backup ${verification.backupId} failed: ${verification.message ?? 'see its log'}`;
  return `Backup ${verification.backupId} failed verification: ${failed.map((c) => `${c.name}: ${c.message}`).join('; ')}`;
}
