import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import { JobFailedWithResult } from '../../lib/core/jobs/job-failed-with-result';
import type { JobHandler } from '../../lib/core/jobs/job-handler';
import { type RestoreResult, runRestore } from '../../lib/core/restore/run-restore';

/**
 * A restore job: lib/core/restore with this job's cancel and progress. A restore in which an
 * app was rolled back fails, with the per-app outcome kept as its result.
 */
export const runRestoreJob: JobHandler<'restore'> = async ({ jobId, payload, signal, log, reportProgress }) => {
  const { db, instanceKey } = await prepareInstance();
  const env = getEnv();
  const result = await runRestore(payload, {
    db,
    instanceKey,
    env: { appsDir: env.appsDir, dataDir: env.dataDir, databasePath: env.databasePath, dockerBin: env.dockerBin },
    jobId,
    signal,
    log,
    reportProgress,
  });
  if (result.rolledBack.length > 0) throw new JobFailedWithResult('rolled_back', rolledBackMessage(result), result);
  return result;
};

function rolledBackMessage(result: RestoreResult): string {
  const apps = result.rolledBack.map((r) => r.app).join(', ');
  const restored = result.restored.length > 0 ? ` (restored: ${result.restored.join(', ')})` : '';
  return `Rolled back to their data before the restore: ${apps}${restored}. See the log for why.`;
}
