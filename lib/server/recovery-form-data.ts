import { targetFormToInput } from './target-form-data';

/** The form field of the old server's backup passphrase (kept apart from the target's own fields). */
export const RECOVERY_PASSPHRASE_FIELD = 'backupPassphrase';

/**
 * Splits the setup page's "restore from backups" form into what recoverInstance takes: the
 * target, shaped like the Targets form's input (targetFormToInput), and the passphrase,
 * untouched (a passphrase may start or end with a space). Nothing is validated here.
 */
export function recoveryFormToInput(form: FormData): { target: Record<string, unknown>; passphrase: unknown } {
  const target = targetFormToInput(form);
  const passphrase = target[RECOVERY_PASSPHRASE_FIELD];
  delete target[RECOVERY_PASSPHRASE_FIELD];
  return { target, passphrase };
}
