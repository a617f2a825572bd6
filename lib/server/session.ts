import 'server-only';
import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { SESSION_COOKIE, type SessionUser, validateSession } from '@/lib/core/auth/sessions';
import { isInstanceInitialized } from '@/lib/core/setup/initialize-instance';
import { getInstance } from './instance';

/** The signed-in user of this request, or null (memoised per request). */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const { db } = await getInstance();
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return validateSession(db, token);
});

/** For pages: sends a visitor to setup (fresh instance) or to sign-in (no session). */
export async function requirePageUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (user) return user;
  const { db } = await getInstance();
  redirect((await isInstanceInitialized(db)) ? '/login' : '/setup');
}

async function isHttps(): Promise<boolean> {
  const h = await headers();
  return h.get('x-forwarded-proto') === 'https';
}

export async function setSessionCookie(token: string, expiresAt: Date): Promise<void> {
  // Secure only over HTTPS: many home servers are reached over plain HTTP on the LAN, where a
  // Secure cookie would make signing in impossible.
  (await cookies()).set(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: await isHttps(),
    path: '/',
    expires: expiresAt,
  });
}

export async function clearSessionCookie(): Promise<void> {
  (await cookies()).delete(SESSION_COOKIE);
}

/** The client's address for rate limiting: the hop nearest to us in X-Forwarded-For. */
export async function getClientIp(): Promise<string> {
  const h = await headers();
  const forwarded = h
    .get('x-forwarded-for')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return forwarded?.at(-1) ?? h.get('x-real-ip') ?? 'unknown';
}
