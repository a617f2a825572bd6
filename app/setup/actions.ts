'use server';
import { AppError } from '@/lib/core/errors';
import { defaultTargetDir, initializeInstance } from '@/lib/core/setup/initialize-instance';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';

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
