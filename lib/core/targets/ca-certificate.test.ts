import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isPemCertificates } from './ca-certificate';

const CA = readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/test-ca-cert.pem'), 'utf8');

describe('isPemCertificates', () => {
  it('accepts one certificate, a bundle with comments between, and CRLF line ends', () => {
    expect(isPemCertificates(CA)).toBe(true);
    expect(isPemCertificates(`# Home CA\n${CA}\n# Old home CA\n${CA}`)).toBe(true);
    expect(isPemCertificates(CA.replace(/\n/g, '\r\n'))).toBe(true);
  });

  it('refuses text, a private key, a certificate next to a key, and a garbled body', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';
    expect(isPemCertificates('my CA')).toBe(false);
    expect(isPemCertificates(key)).toBe(false);
    expect(isPemCertificates(`${CA}${key}`)).toBe(false);
    expect(isPemCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toBe(false);
    expect(isPemCertificates(CA.replace('-----END CERTIFICATE-----', ''))).toBe(false);
  });
});
