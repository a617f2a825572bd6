'use server';
import { revalidatePath } from 'next/cache';
import { chooseConsistencyMode } from '@/lib/core/apps/choose-consistency';
import { getEnv } from '@/lib/core/env';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

/** Sets how an app is backed up: {appId, mode: 'stop' | 'live'}. */
export async function setConsistencyModeAction(input: unknown): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    await chooseConsistencyMode(db, getEnv().appsDir, input);
    revalidatePath('/apps');
  });
}
