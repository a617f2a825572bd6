import { AppError } from '../errors';

const PERMISSIONS = 's3:PutObject, s3:GetObject, s3:ListBucket, s3:DeleteObject and s3:AbortMultipartUpload';

interface S3ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * Translates an AWS SDK error into our codes with the fix in the message. Matching is on
 * `error.name` (and Node's network error codes), never on message text (DESIGN.md §9).
 */
export function translateS3Error(error: unknown, where: { endpoint: string; bucket: string; key?: string }): AppError {
  const e = (error ?? {}) as S3ErrorLike;
  const status = e.$metadata?.httpStatusCode;
  const cause = { cause: error };
  switch (e.name) {
    case 'InvalidAccessKeyId':
      return new AppError(
        'auth_failed',
        `The S3 server does not know this access key id. Check the access key id for ${where.endpoint}.`,
        cause,
      );
    case 'SignatureDoesNotMatch':
      return new AppError(
        'auth_failed',
        'The S3 secret access key is wrong: the server rejected the request signature. Re-enter the secret access key.',
        cause,
      );
    case 'AccessDenied':
    case 'Forbidden':
      return new AppError(
        'access_denied',
        `Access denied to bucket "${where.bucket}". The key needs ${PERMISSIONS} on it.`,
        cause,
      );
    case 'NoSuchBucket':
      return new AppError(
        'misconfigured',
        `The bucket "${where.bucket}" does not exist at ${where.endpoint}. Create it, or correct the name.`,
        cause,
      );
    case 'NoSuchKey':
    case 'NotFound':
      return new AppError('not_found', `The object ${where.key ?? ''} is not in bucket "${where.bucket}".`, cause);
    case 'EntityTooLarge':
    case 'QuotaExceeded':
      return new AppError(
        'no_space',
        `The S3 server refused the upload to "${where.bucket}": quota or size limit reached.`,
        cause,
      );
    case 'SlowDown':
    case 'ServiceUnavailable':
    case 'InternalError':
    case 'RequestTimeout':
      return new AppError(
        'unavailable',
        `The S3 server at ${where.endpoint} is busy or failing (${e.name}); it will be retried.`,
        { ...cause, retryable: true },
      );
  }
  if (
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'].includes(e.code ?? '') ||
    e.name === 'TimeoutError'
  ) {
    return new AppError(
      'unreachable',
      `Cannot reach the S3 endpoint ${where.endpoint} (${e.code ?? e.name}). Check the endpoint URL and that the server is running.`,
      { ...cause, retryable: true },
    );
  }
  if (status === 403)
    return new AppError('access_denied', `Access denied to bucket "${where.bucket}". The key needs ${PERMISSIONS} on it.`, cause);
  if (status === 404)
    return new AppError('not_found', `Not found at ${where.endpoint}: check the bucket name and the endpoint URL.`, cause);
  if (status !== undefined && status >= 500) {
    return new AppError('unavailable', `The S3 server at ${where.endpoint} answered ${status}; it will be retried.`, {
      ...cause,
      retryable: true,
    });
  }
  return new AppError('internal', `S3 request failed: ${e.name ?? 'error'}${e.message ? ` — ${e.message}` : ''}`, cause);
}
