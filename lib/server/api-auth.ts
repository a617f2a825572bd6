import 'server-only';
import type { NextRequest } from 'next/server';
import { type ApiTokenPrincipal, authenticateApiToken } from '@/lib/core/api-tokens/authenticate-api-token';
import { SESSION_COOKIE, type SessionUser, validateSession } from '@/lib/core/auth/sessions';
import type { Db } from '@/lib/core/db/client';
import { AppError } from '@/lib/core/errors';

/**
 * Who is calling an API route: a signed-in browser or a script with an API token. `actor` is
 * what the request is recorded as (a job's createdBy): the username, or `token:<name>`.
 */
export type ApiAuth =
  | { via: 'session'; actor: string; user: SessionUser }
  | { via: 'token'; actor: string; token: ApiTokenPrincipal };

export interface ApiAuthOptions {
  /** Refuse API tokens: the route needs a signed-in user (e.g. managing tokens themselves). */
  sessionOnly?: boolean;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/**
 * Authenticates an API request by its `Authorization: Bearer` token or, without that header,
 * its session cookie. A request that names a token is judged by that token alone: a bad one
 * is refused even when a valid cookie came along. Throws `unauthenticated` (401).
 *
 * Only route handlers call this: pages and server actions accept nothing but the session
 * cookie (requirePageUser), so a token never opens the web UI.
 */
export async function authenticateApiRequest(db: Db, request: NextRequest, options: ApiAuthOptions = {}): Promise<ApiAuth> {
  const header = request.headers.get('authorization');
  if (header !== null) {
    const token = BEARER.exec(header)?.[1];
    if (!token)
      throw new AppError('unauthenticated', 'Send an API token as “Authorization: Bearer cob_…”; no other scheme is accepted.');
    if (options.sessionOnly)
      throw new AppError('unauthenticated', 'This request needs a signed-in session: API tokens are not accepted here.');
    const principal = await authenticateApiToken(db, token);
    if (!principal) throw new AppError('unauthenticated', 'The API token is not valid: it is unknown or was revoked.');
    return { via: 'token', actor: `token:${principal.tokenName}`, token: principal };
  }
  const user = await validateSession(db, request.cookies.get(SESSION_COOKIE)?.value);
  if (!user)
    throw new AppError('unauthenticated', 'Sign in first, or send an API token: this request needs a session or a token.');
  return { via: 'session', actor: user.username, user };
}
