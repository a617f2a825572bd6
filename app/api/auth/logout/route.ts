import { cookies } from 'next/headers';
import { NextResponse } from 'next/server';
import { deleteSession, SESSION_COOKIE } from '@/lib/core/auth/sessions';
import { publicRoute } from '@/lib/server/api-route';
import { getInstance } from '@/lib/server/instance';
import { clearSessionCookie } from '@/lib/server/session';

export const dynamic = 'force-dynamic';

export const POST = publicRoute(async () => {
  const { db } = await getInstance();
  await deleteSession(db, (await cookies()).get(SESSION_COOKIE)?.value);
  await clearSessionCookie();
  return NextResponse.json({ ok: true });
});
