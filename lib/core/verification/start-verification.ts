import { randomUUID } from 'node:crypto';
import { getBackup } from '../backup/catalog';
import type { Db } from '../db/client';
import { AppError } from '../errors';
import { newJobRow } from '../jobs/enqueue-job';
import { parseInput } from '../targets/target-input';
import { resolveChecks } from './checks';
import { type VerificationOptions, verificationOptionsSchema } from './verification-request';
import { settleVerifications } from './verifications';

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'P2002';
}

function alreadyVerifying(backupId: string): AppError {
  return new AppError(
    'already_verifying',
    `Backup ${backupId} is already being verified; wait for that verification to end or cancel its job.`,
  );
}

/**
 * Queues a verification of a finished backup (id or unique prefix) as a `verify` job and
 * returns its ids. Refuses with `not_found` for an unknown backup, `invalid_input` for one
 * that did not finish or an unknown check, and `already_verifying` while another verification
 * of it is queued or running (two racing requests: the unique `activeFor` lets one through).
 * Nothing is gated here: the license gate belongs to the transports that offer it.
 */
export async function startVerification(
  db: Db,
  backupIdOrPrefix: string,
  rawOptions: VerificationOptions = {},
): Promise<{ jobId: string; verificationId: string }> {
  const options = parseInput(verificationOptionsSchema, rawOptions, 'verification');
  const backup = await getBackup(db, backupIdOrPrefix);
  if (backup.status !== 'succeeded')
    throw new AppError(
      'invalid_input',
      `Backup ${backup.id} is ${backup.status}, not a finished backup; there is nothing to verify.`,
    );
  const checks = resolveChecks(options.checks, options.dryRun);
  const dryRun = checks.includes('dry-run');
  await settleVerifications(db, backup.id);
  if (await db.verification.findUnique({ where: { activeFor: backup.id } })) throw alreadyVerifying(backup.id);
  const job = newJobRow('verify', { backupId: backup.id, checks, dryRun }, { createdBy: options.createdBy });
  const verificationId = randomUUID();
  try {
    await db.$transaction([
      db.job.create({ data: job }),
      db.verification.create({
        data: {
          id: verificationId,
          backupId: backup.id,
          jobId: job.id,
          checks: JSON.stringify(checks),
          dryRun,
          activeFor: backup.id,
          createdBy: options.createdBy,
          createdAt: job.createdAt,
        },
      }),
    ]);
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyVerifying(backup.id);
    throw error;
  }
  return { jobId: job.id, verificationId };
}
