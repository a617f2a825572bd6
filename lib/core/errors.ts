/**
 * The error every lib/core operation throws for an expected failure. `code` is the contract
 * with the transports (HTTP status, CLI exit code, job error code); `message` is written for
 * the user and must never contain a secret.
 */
export type AppErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** A verification of that backup is already queued or running. */
  | 'already_verifying'
  | 'rate_limited'
  | 'config'
  | 'interrupted'
  | 'cancelled'
  | 'unavailable'
  | 'corrupted'
  | 'wrong_passphrase'
  | 'unsafe_archive'
  | 'access_denied'
  | 'auth_failed'
  | 'unreachable'
  | 'no_space'
  | 'misconfigured'
  | 'rolled_back'
  | 'feature_not_licensed'
  | 'internal';

export interface AppErrorOptions {
  cause?: unknown;
  /** Seconds after which the caller may try again (rate limits). */
  retryAfterSeconds?: number;
  /** A job failing with a retryable error is re-queued while attempts remain. */
  retryable?: boolean;
  /** For invalid_input: a message per input field (dotted path, e.g. `auth.password`), so a form can show each beside its field. */
  fields?: Record<string, string>;
  /**
   * Machine-readable facts a client acts on, sent beside code and message in the API's error
   * JSON (e.g. `{feature, plan}` for feature_not_licensed). Never a secret.
   */
  details?: Record<string, string>;
}

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly retryAfterSeconds?: number;
  readonly retryable: boolean;
  readonly fields?: Record<string, string>;
  readonly details?: Record<string, string>;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.retryable = options.retryable ?? false;
    this.fields = options.fields;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** True for the error an aborted AbortSignal produces (DOM AbortError or our cancelled code). */
export function isAbortError(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'cancelled';
  return error instanceof Error && error.name === 'AbortError';
}
