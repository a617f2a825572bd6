'use server';
import { redirect } from 'next/navigation';
import { createSession } from '@/lib/core/auth/sessions';
import { AppError } from '@/lib/core/errors';
import { recoverInstance, testRecoveryTarget } from '@/lib/core/recovery/recover-instance';
import { defaultTargetDir, initializeInstance } from '@/lib/core/setup/initialize-instance';
import type { ConnectionTest } from '@/lib/core/storage/storage-target';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { recoveryFormToInput } from '@/lib/server/recovery-form-data';
import { setSessionCookie } from '@/lib/server/session';

export type SetupResult = ActionResult<{ username: string; generatedPassphrase: string | null }>;

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** First-run setup from the web page; refuses once an admin exists (the core checks). */
export async function setupAction(_previous: SetupResult | null, form: FormData): Promise<SetupResult> {
  return runAction(async () => {
    if (text(form, 'password') !== text(form, 'passwordConfirm'))
      throw new AppError('invalid_input', 'The two passwords do not match.');
    const mode = text(form, 'passphraseMode') === 'generate' ? 'generate' : 'choose';
    if (mode === 'choose' && text(form, 'passphrase') !== text(form, 'passphraseConfirm')) {
      throw new AppError('invalid_input', 'The two passphrases do not match.');
    }
    const { db, instanceKey } = await getInstance();
    const result = await initializeInstance(
      db,
      instanceKey,
      {
        username: text(form, 'username'),
        password: text(form, 'password'),
        passphrase: mode === 'generate' ? { mode } : { mode, value: text(form, 'passphrase') },
      },
      { defaultTargetDir: defaultTargetDir() },
    );
    return { username: text(form, 'username').trim().toLowerCase(), generatedPassphrase: result.generatedPassphrase ?? null };
  });
}

/**
 * "Test connection" on the setup page's "restore from backups" form: the typed target is
 * probed step by step, nothing is stored. Open only while the instance is not set up.
 */
export async function testRecoveryTargetAction(form: FormData): Promise<ActionResult<ConnectionTest>> {
  return runAction(async () => {
    const { db } = await getInstance();
    return testRecoveryTarget(db, recoveryFormToInput(form).target);
  });
}

/**
 * Sets this fresh instance up from an old server's target and passphrase (recoverInstance
 * refuses once it is set up, and stores nothing unless backups open), then signs the browser
 * in as the recovery account, which lasts until a full backup's system part is restored.
 */
export async function recoverAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const result = await runAction(async () => {
    const { db, instanceKey } = await getInstance();
    const { userId } = await recoverInstance(db, instanceKey, recoveryFormToInput(form));
    const session = await createSession(db, userId);
    await setSessionCookie(session.token, session.expiresAt);
    return undefined;
  });
  if (result.ok) redirect('/setup/recover');
  return result;
}
