import type { JobHandlers } from '../lib/core/jobs/job-handler';
import { runBackupJob } from './handlers/backup';
import { runRestoreJob } from './handlers/restore';
import { runSelftest } from './handlers/selftest';
import { runVerifyJob } from './handlers/verify';

/** Every job type's handler; the type checker insists each type in job-types.ts has one. */
export const jobHandlers: JobHandlers = {
  selftest: runSelftest,
  backup: runBackupJob,
  restore: runRestoreJob,
  verify: runVerifyJob,
};
