import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import type { JobHandler } from '../../lib/core/jobs/job-handler';
import { runRestore } from '../../lib/core/restore/run-restore';

/** A restore job: lib/core/restore with this job's cancel and progress. */
export const runRestoreJob: JobHandler<'restore'> = async ({ jobId, payload, signal, log, reportProgress }) => {
  const { db, instanceKey } = await prepareInstance();
  const env = getEnv();
  return runRestore(payload, {
    db,
    instanceKey,
    env: { appsDir: env.appsDir, dataDir: env.dataDir, databasePath: env.databasePath, dockerBin: env.dockerBin },
    jobId,
    signal,
    log,
    reportProgress,
  });
};
