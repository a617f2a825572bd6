import { describe, expect, it } from 'vitest';
import { translateS3Error } from './s3-errors';

const where = { endpoint: 'https://minio.lan:9000', bucket: 'backups' };

describe('translateS3Error for TLS failures', () => {
  it('names the endpoint, the reason and the fix for an untrusted certificate, and is not retried', () => {
    // The shape the SDK rethrows (checked against the test radosgw's HTTPS endpoint).
    const error = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(translateS3Error(error, where)).toMatchObject({
      code: 'misconfigured',
      retryable: false,
      message:
        'The S3 endpoint https://minio.lan:9000 presented a certificate this server does not trust (self-signed certificate). If it uses a self-signed certificate or a private CA, add that CA certificate to the target (CA certificate field; `--ca-certificate-file` in the CLI).',
    });
  });

  it('finds the code on a wrapped cause, and says how to fix an expired or misnamed certificate', () => {
    expect(translateS3Error({ name: 'Error', cause: { code: 'CERT_HAS_EXPIRED' } }, where).message).toBe(
      'The S3 endpoint https://minio.lan:9000 presented a certificate this server does not trust (certificate expired). Renew the certificate on the S3 server.',
    );
    expect(translateS3Error({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' }, where).message).toMatch(
      /\(the certificate is not issued for this host name\)\. Use a host name or address in the endpoint URL/,
    );
  });

  it('does not take an inherited property name for a TLS code', () => {
    expect(translateS3Error({ code: 'toString' }, where).code).toBe('internal');
  });
});
