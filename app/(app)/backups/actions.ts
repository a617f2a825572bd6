'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { requestBackup } from '@/lib/core/backup/request-backup';
import { getEnv } from '@/lib/core/env';
import type { JobView } from '@/lib/core/jobs/job-types';
import { requireFeature } from '@/lib/core/license/require-feature';
import { requestRestore, requestVerify } from '@/lib/core/restore/request-restore';
import { verifyRequestSchema } from '@/lib/core/restore/restore-request';
import { parseInput } from '@/lib/core/targets/target-input';
import { startVerification } from '@/lib/core/verification/start-verification';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

/**
 * Queues a backup ({target, scope, apps}; checked in lib/core like any input from the
 * browser) in the signed-in user's name, and returns its job for the page to follow.
 */
export async function startBackupAction(input: unknown): Promise<ActionResult<{ jobId: string }>> {
  return runAction(async () => {
    const user = await requirePageUser();
    const { db } = await getInstance();
    const job = await requestBackup(db, getEnv(), input, user.username);
    revalidatePath('/');
    return { jobId: job.id };
  });
}

/**
 * Queues a restore ({backupId, apps, system}) in the signed-in user's name. requestRestore
 * checks it against the catalog first, so a wrong choice queues nothing and comes back as a
 * message; the job checks it again against the target's signed manifest. The queued job comes
 * back too, for a page that follows it where it is (a recovery's restore ends the session
 * that a job page would need).
 */
export async function startRestoreAction(input: unknown): Promise<ActionResult<{ jobId: string; job: JobView }>> {
  return runAction(async () => {
    const user = await requirePageUser();
    const { db } = await getInstance();
    const job = await requestRestore(db, input, user.username);
    return { jobId: job.id, job };
  });
}

/** Queues a verification of a finished backup (never gated by a license). */
export async function startVerifyAction(input: unknown): Promise<ActionResult<{ jobId: string }>> {
  return runAction(async () => {
    const user = await requirePageUser();
    const { db } = await getInstance();
    const job = await requestVerify(db, input, user.username);
    return { jobId: job.id };
  });
}

const runChecksSchema = verifyRequestSchema.extend({ dryRun: z.boolean().optional() }).strict();

/**
 * Starts a verification of a finished backup with the default checks (plus the dry-run
 * restore when asked) in the signed-in user's name. Needs the `backup_verification` license
 * feature: without it the result is `feature_not_licensed` with what to install, and nothing
 * is queued; `already_verifying` while one runs.
 */
export async function startChecksAction(input: unknown): Promise<ActionResult<{ jobId: string }>> {
  return runAction(async () => {
    const user = await requirePageUser();
    const { db } = await getInstance();
    const { backupId, dryRun } = parseInput(runChecksSchema, input, 'request');
    await requireFeature(db, 'backup_verification');
    const { jobId } = await startVerification(db, backupId, { dryRun, createdBy: user.username });
    return { jobId };
  });
}
