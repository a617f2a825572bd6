'use server';
import { redirect } from 'next/navigation';
import { signIn, signInInputSchema } from '@/lib/core/auth/sign-in';
import { AppError } from '@/lib/core/errors';
import { type ActionResult, runAction } from '@/lib/server/action-result';
import { getInstance } from '@/lib/server/instance';
import { getClientIp, setSessionCookie } from '@/lib/server/session';

export async function signInAction(_previous: ActionResult | null, form: FormData): Promise<ActionResult> {
  const result = await runAction(async () => {
    const input = signInInputSchema.safeParse({ username: form.get('username'), password: form.get('password') });
    if (!input.success)
      throw new AppError('invalid_input', input.error.issues[0]?.message ?? 'Enter your username and password.');
    const { db } = await getInstance();
    const session = await signIn(db, input.data, await getClientIp());
    await setSessionCookie(session.token, session.expiresAt);
    return undefined;
  });
  if (result.ok) redirect('/');
  return result;
}
