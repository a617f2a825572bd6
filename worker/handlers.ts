import type { JobHandlers } from '../lib/core/jobs/job-handler';
import { runBackupJob } from './handlers/backup';
import { runSelftest } from './handlers/selftest';

/** Every job type's handler; the type checker insists each type in job-types.ts has one. */
export const jobHandlers: JobHandlers = {
  selftest: runSelftest,
  backup: runBackupJob,
};
