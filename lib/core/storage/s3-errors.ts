import { AppError } from '../errors';

const PERMISSIONS = 's3:PutObject, s3:GetObject, s3:ListBucket, s3:DeleteObject and s3:AbortMultipartUpload';

interface S3ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: { code?: string };
  $metadata?: { httpStatusCode?: number };
}

const ADD_CA =
  'If it uses a self-signed certificate or a private CA, add that CA certificate to the target (CA certificate field; `--ca-certificate-file` in the CLI).';

// Node's TLS verification codes (the SDK passes the socket's error through, `name` "Error"):
// what went wrong, and the fix. A chain we cannot complete is fixed by trusting the CA; an
// expired or misnamed certificate is fixed on the server or in the endpoint URL.
const TLS_FAILURES: Record<string, { reason: string; fix: string }> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: { reason: 'self-signed certificate', fix: ADD_CA },
  SELF_SIGNED_CERT_IN_CHAIN: { reason: 'self-signed certificate in its chain', fix: ADD_CA },
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: { reason: 'signed by an unknown CA', fix: ADD_CA },
  UNABLE_TO_GET_ISSUER_CERT: { reason: 'issuer certificate not found', fix: ADD_CA },
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: { reason: 'issuer certificate not found', fix: ADD_CA },
  CERT_SIGNATURE_FAILURE: {
    reason: 'certificate signature does not verify',
    fix: 'Check that the CA certificate on the target is the one that signed the server certificate.',
  },
  CERT_HAS_EXPIRED: { reason: 'certificate expired', fix: 'Renew the certificate on the S3 server.' },
  CERT_NOT_YET_VALID: {
    reason: 'certificate not yet valid',
    fix: "Check the clocks of both servers, or the certificate's start date.",
  },
  ERR_TLS_CERT_ALTNAME_INVALID: {
    reason: 'the certificate is not issued for this host name',
    fix: 'Use a host name or address in the endpoint URL that the certificate names.',
  },
};

function translateTlsError(e: S3ErrorLike, endpoint: string, cause: { cause: unknown }): AppError | null {
  const code = [e.code, e.cause?.code].find((c) => c !== undefined && Object.hasOwn(TLS_FAILURES, c));
  if (!code) return null;
  const { reason, fix } = TLS_FAILURES[code] as { reason: string; fix: string };
  return new AppError(
    'misconfigured',
    `The S3 endpoint ${endpoint} presented a certificate this server does not trust (${reason}). ${fix}`,
    cause,
  );
}

/**
 * Translates an AWS SDK error into our codes with the fix in the message. Matching is on
 * `error.name` (and Node's network and TLS error codes), never on message text (DESIGN.md §9).
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
  const tls = translateTlsError(e, where.endpoint, cause);
  if (tls) return tls;
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
