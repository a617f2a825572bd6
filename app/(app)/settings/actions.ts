'use server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { type ApiTokenView, createApiToken, revokeApiToken } from '@/lib/core/api-tokens/api-tokens';
import { installLicense, type LicenseView, removeLicense } from '@/lib/core/license/installed-license';
import { parseInput } from '@/lib/core/targets/target-input';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { requirePageUser } from '@/lib/server/session';

// Arguments of a server action arrive from the browser: checked like any other input.
const formText = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};

export async function installLicenseAction(
  _previous: ActionResult<LicenseView> | null,
  form: FormData,
): Promise<ActionResult<LicenseView>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    const license = await installLicense(db, formText(form, 'license'));
    revalidatePath('/settings');
    return license;
  });
}

export async function removeLicenseAction(): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    await removeLicense(db);
    revalidatePath('/settings');
  });
}

/** The new token travels to the browser once, in this result; the page never renders it. */
export type CreatedApiToken = { token: string; view: ApiTokenView };

export async function createApiTokenAction(
  _previous: ActionResult<CreatedApiToken> | null,
  form: FormData,
): Promise<ActionResult<CreatedApiToken>> {
  return runAction(async () => {
    const user = await requirePageUser();
    const { db } = await getInstance();
    const created = await createApiToken(db, { name: formText(form, 'name'), createdBy: user.username });
    revalidatePath('/settings');
    return created;
  });
}

export async function revokeApiTokenAction(id: string): Promise<ActionResult<void>> {
  return runAction(async () => {
    await requirePageUser();
    const { db } = await getInstance();
    await revokeApiToken(db, parseInput(z.uuid('Unknown API token.'), id, 'id'));
    revalidatePath('/settings');
  });
}
