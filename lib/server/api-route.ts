import 'server-only';
import type { NextRequest, NextResponse } from 'next/server';
import { AppError, isAppError } from '@/lib/core/errors';
import { type ApiAuth, type ApiAuthOptions, authenticateApiRequest } from './api-auth';
import { toErrorResponse } from './http-errors';
import { getInstance } from './instance';

export interface ApiContext<P> {
  request: NextRequest;
  params: P;
  /** The session user or the API token behind the request; `auth.actor` names it for records. */
  auth: ApiAuth;
}

/**
 * Browsers send Origin on every cross-site POST; a mutating request whose Origin is not this
 * host is refused (SameSite=Lax cookies already stop most CSRF; this closes the rest).
 */
function assertSameOrigin(request: NextRequest): void {
  if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
  const origin = request.headers.get('origin');
  if (!origin) return;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError('forbidden', 'Cross-site request refused.');
  }
  if (originHost !== host) throw new AppError('forbidden', 'Cross-site request refused.');
}

/**
 * Wraps a route handler: same-origin check, a session cookie or an API token (only a session
 * with `sessionOnly`), and errors as JSON. A 401 says `WWW-Authenticate: Bearer` (RFC 6750).
 */
export function authedRoute<P>(handler: (ctx: ApiContext<P>) => Promise<Response | NextResponse>, options: ApiAuthOptions = {}) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      assertSameOrigin(request);
      const { db } = await getInstance();
      const auth = await authenticateApiRequest(db, request, options);
      return await handler({ request, params: await context.params, auth });
    } catch (error) {
      const response = toErrorResponse(error);
      if (isAppError(error) && error.code === 'unauthenticated')
        response.headers.set('WWW-Authenticate', 'Bearer realm="cloudos-backup"');
      return response;
    }
  };
}

/** Wraps a public route handler (sign-in, health): same-origin check and errors as JSON. */
export function publicRoute<P>(handler: (ctx: { request: NextRequest; params: P }) => Promise<Response | NextResponse>) {
  return async (request: NextRequest, context: { params: Promise<P> }): Promise<Response> => {
    try {
      assertSameOrigin(request);
      return await handler({ request, params: await context.params });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}

/** Parses a JSON body, turning malformed JSON into a 400 instead of a 500. */
export async function readJsonBody(request: NextRequest): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new AppError('invalid_input', 'The request body must be JSON.');
  }
}
