import { getEnv } from '../../lib/core/env';
import { prepareInstance } from '../../lib/core/instance/prepare-instance';
import type { JobHandler } from '../../lib/core/jobs/job-handler';
import { runBackupWithRetention } from '../../lib/core/schedules/run-scheduled-backup';
import { readTimeZone } from '../../lib/core/schedules/time-zone-setting';

/** A backup job: the whole pipeline of lib/core/backup, with this job's cancel and progress; retention and the target's cleanup after it succeeded. */
export const runBackupJob: JobHandler<'backup'> = async ({ jobId, payload, signal, log, reportProgress }) => {
  const { db, instanceKey } = await prepareInstance();
  const env = getEnv();
  const job = await db.job.findUnique({ where: { id: jobId }, select: { createdBy: true } });
  return runBackupWithRetention(payload, {
    db,
    instanceKey,
    env: { appsDir: env.appsDir, dataDir: env.dataDir, databasePath: env.databasePath, dockerBin: env.dockerBin },
    jobId,
    createdBy: job?.createdBy ?? null,
    signal,
    log,
    reportProgress,
    timeZone: await readTimeZone(db, env.timeZone),
  });
};
