'use server';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { deleteSession, SESSION_COOKIE } from '@/lib/core/auth/sessions';
import { getInstance } from '@/lib/server/instance';
import { clearSessionCookie } from '@/lib/server/session';

export async function signOutAction(): Promise<void> {
  const { db } = await getInstance();
  await deleteSession(db, (await cookies()).get(SESSION_COOKIE)?.value);
  await clearSessionCookie();
  redirect('/login');
}
