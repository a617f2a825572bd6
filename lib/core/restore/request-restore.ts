import { getBackup } from '../backup/catalog';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { enqueueJob } from '../jobs/enqueue-job';
import type { JobView } from '../jobs/job-types';
import { parseInput } from '../targets/target-input';
import { chooseApps } from './plan-restore';
import { restoreRequestSchema, verifyRequestSchema } from './restore-request';

async function finishedBackup(db: Db, idOrPrefix: string) {
  const backup = await getBackup(db, idOrPrefix);
  if (backup.status !== 'succeeded')
    throw new AppError('invalid_input', `Backup ${backup.id} is ${backup.status}, not a finished backup.`);
  return backup;
}

/**
 * Queues a restore asked for by a person (CLI, later the wizard). What the catalog can answer
 * is checked now — the backup exists and finished, it holds the chosen apps, `system` only for
 * a full backup — so a mistake queues nothing.
 */
export async function requestRestore(db: Db, rawInput: unknown, createdBy: string): Promise<JobView> {
  const request = parseInput(restoreRequestSchema, rawInput, 'restore');
  const backup = await finishedBackup(db, request.backupId);
  // The catalog's copy of the contents; the job checks the target's signed manifest again.
  chooseApps(request, { id: backup.id, scope: backup.scope, contents: { apps: backup.contents?.apps ?? [] } });
  // Never retried by itself: an interrupted restore is finished or rolled back from its journal.
  return enqueueJob(db, 'restore', { ...request, backupId: backup.id }, { createdBy, maxAttempts: 1 });
}

/** Queues a verification of a finished backup. */
export async function requestVerify(db: Db, rawInput: unknown, createdBy: string): Promise<JobView> {
  const request = parseInput(verifyRequestSchema, rawInput, 'verify');
  const backup = await finishedBackup(db, request.backupId);
  return enqueueJob(db, 'verify', { backupId: backup.id }, { createdBy });
}
