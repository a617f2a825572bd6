import { requestBackup } from '../backup/request-backup';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { requestRestore, requestVerify } from '../restore/request-restore';
import { enqueueJob } from './enqueue-job';
import type { JobView } from './job-types';

/**
 * A job asked for through the generic `POST /api/jobs`: each type goes through the same
 * checks as the UI and the CLI (a backup to an unknown target, a restore of an app the backup
 * does not hold, … queue nothing). Verification checks are not a job request but their own
 * license-gated endpoint.
 */
export async function requestJob(
  db: Db,
  env: { appsDir: string; dockerBin: string },
  type: string,
  payload: unknown,
  createdBy: string,
): Promise<JobView> {
  switch (type) {
    case 'selftest':
      return enqueueJob(db, 'selftest', payload ?? {}, { createdBy });
    case 'backup':
      return requestBackup(db, env, payload, createdBy);
    case 'restore':
      return requestRestore(db, payload, createdBy);
    case 'verify': {
      const p = payload as { checks?: unknown; dryRun?: unknown } | null;
      if (p && typeof p === 'object' && ('checks' in p || 'dryRun' in p))
        throw new AppError('invalid_input', 'Verification checks are started with POST /api/backups/{id}/verify.');
      return requestVerify(db, payload, createdBy);
    }
    default:
      throw new AppError('invalid_input', `Unknown job type "${type}": use selftest, backup, restore or verify.`);
  }
}
