import { runBackup } from '../../lib/core/backup/run-backup';
import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import type { JobHandler } from '../../lib/core/jobs/job-handler';

/** A backup job: the whole pipeline of lib/core/backup, with this job's cancel and progress. */
export const runBackupJob: JobHandler<'backup'> = async ({ jobId, payload, signal, log, reportProgress }) => {
  const { db, instanceKey } = await prepareInstance();
  const env = getEnv();
  const job = await db.job.findUnique({ where: { id: jobId }, select: { createdBy: true } });
  return runBackup(payload, {
    db,
    instanceKey,
    env: { appsDir: env.appsDir, dataDir: env.dataDir, databasePath: env.databasePath, dockerBin: env.dockerBin },
    jobId,
    createdBy: job?.createdBy ?? null,
    signal,
    log,
    reportProgress,
  });
};
