'use server';
import { revalidatePath } from 'next/cache';
import { requestBackup } from '@/lib/core/backup/request-backup';
import { getEnv } from '@/lib/core/env';
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
