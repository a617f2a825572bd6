import { NextResponse } from 'next/server';
import { type AppErrorCode, isAppError } from '@/lib/core/errors';

// The one mapping from our error codes to HTTP statuses.
const STATUS: Record<AppErrorCode, number> = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  already_verifying: 409,
  rate_limited: 429,
  config: 500,
  interrupted: 500,
  cancelled: 409,
  unavailable: 503,
  corrupted: 422,
  wrong_passphrase: 400,
  unsafe_archive: 422,
  access_denied: 403,
  auth_failed: 401,
  unreachable: 502,
  no_space: 507,
  misconfigured: 400,
  rolled_back: 500,
  feature_not_licensed: 402,
  internal: 500,
};

export function statusForCode(code: AppErrorCode): number {
  return STATUS[code];
}

export function errorResponse(
  code: AppErrorCode,
  message: string,
  headers?: HeadersInit,
  details?: Record<string, string>,
): NextResponse {
  // Details come first so they can never replace the code or the message.
  return NextResponse.json({ error: { ...details, code, message } }, { status: STATUS[code], headers });
}

/** Turns any thrown value into the API's error JSON; unexpected errors are logged, not leaked. */
export function toErrorResponse(error: unknown): NextResponse {
  if (isAppError(error)) {
    const headers = error.retryAfterSeconds ? { 'Retry-After': String(error.retryAfterSeconds) } : undefined;
    return errorResponse(error.code, error.message, headers, error.details);
  }
  console.error('unexpected error in API route:', error);
  return errorResponse('internal', 'Something went wrong on the server. Check the server log for details.');
}
