'use server';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { type ImportReport, importBackups } from '@/lib/core/recovery/import-backups';
import { acceptHostKey } from '@/lib/core/targets/accept-host-key';
import { removeTarget, type TargetDependents, targetDependents } from '@/lib/core/targets/remove-target';
import { parseInput } from '@/lib/core/targets/target-input';
import { createTarget, type TargetTestResult, testTarget } from '@/lib/core/targets/targets';
import { updateTarget } from '@/lib/core/targets/update-target';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';
import { targetFormToInput } from '@/lib/server/target-form-data';

// Arguments of a server action arrive from the browser: checked like any other input.
const targetName = z.string().min(1).max(200);
// Empty means "none": the keys this server holds are tried alone. Kept as typed otherwise.
const optionalPassphrase = z
  .string()
  .max(1024, 'A passphrase has at most 1024 characters.')
  .transform((p) => (p === '' ? undefined : p));

export type TargetFormResult = ActionResult<void>;

export async function createTargetAction(_previous: TargetFormResult | null, form: FormData): Promise<TargetFormResult> {
  const result = await runAction(async () => {
    await requirePageUser();
    const { db, instanceKey } = await getInstance();
    await createTarget(db, instanceKey, targetFormToInput(form));
  });
  if (result.ok) {
    revalidatePath('/targets');
    redirect('/targets');
  }
  return result;
}

/** Bound to the target's current name by the edit page. */
export async function updateTargetAction(
  name: string,
  _previous: TargetFormResult | null,
  form: FormData,
): Promise<TargetFormResult> {
  const result = await runAction(async () => {
    await requirePageUser();
    const { db, instanceKey } = await getInstance();
    await updateTarget(db, instanceKey, parseInput(targetName, name, 'name'), targetFormToInput(form));
  });
  if (result.ok) {
    revalidatePath('/targets');
    redirect('/targets');
  }
  return result;
}

export async function testTargetAction(name: string): Promise<ActionResult<TargetTestResult>> {
  return runAction(async () => {
    await requirePageUser();
    const { db, instanceKey } = await getInstance();
    const result = await testTarget(db, instanceKey, parseInput(targetName, name, 'name'));
    revalidatePath('/targets');
    return result;
  });
}

export async function acceptHostKeyAction(name: string, fingerprint: string): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db, instanceKey } = await getInstance();
    await acceptHostKey(db, instanceKey, parseInput(targetName, name, 'name'), parseInput(z.string(), fingerprint, 'key'));
    revalidatePath('/targets');
  });
}

export async function targetDependentsAction(name: string): Promise<ActionResult<TargetDependents>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    return targetDependents(db, parseInput(targetName, name, 'name'));
  });
}

export async function removeTargetAction(name: string, forgetBackups: boolean): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    await removeTarget(db, parseInput(targetName, name, 'name'), { forgetBackups: parseInput(z.boolean(), forgetBackups) });
    revalidatePath('/targets');
  });
}

/**
 * "Find backups on this target": imports the backups stored there that this server's keys,
 * or the passphrase given, open — a target of another server, or one whose backups were
 * forgotten — and reports what it imported, knew already and refused.
 */
export async function findBackupsAction(name: string, passphrase: string): Promise<ActionResult<ImportReport>> {
  return runAction(async () => {
    const user = await requirePageUser();
    const { db, instanceKey } = await getInstance();
    const report = await importBackups(db, instanceKey, parseInput(targetName, name, 'name'), {
      passphrase: parseInput(optionalPassphrase, passphrase, 'passphrase'),
      createdBy: user.username,
    });
    revalidatePath('/backups');
    revalidatePath('/');
    return report;
  });
}
