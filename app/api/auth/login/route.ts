import { NextResponse } from 'next/server';
import { signIn, signInInputSchema } from '@/lib/core/auth/sign-in';
import { AppError } from '@/lib/core/errors';
import { publicRoute, readJsonBody } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';
import { getClientIp, setSessionCookie } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

/** JSON sign-in for scripts; the login page uses the equivalent server action. */
export const POST = publicRoute(async ({ request }) => {
  const body = signInInputSchema.safeParse(await readJsonBody(request));
  if (!body.success) throw new AppError('invalid_input', body.error.issues[0]?.message ?? 'Invalid sign-in request.');
  const { db } = await getInstance();
  const session = await signIn(db, body.data, await getClientIp());
  await setSessionCookie(session.token, session.expiresAt);
  return NextResponse.json({ ok: true, expiresAt: session.expiresAt.toISOString() });
});
