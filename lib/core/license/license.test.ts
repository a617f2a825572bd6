import { createPublicKey, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { getSetting, putSetting, SettingKey } from '@/lib/core/settings/settings';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { getLicenseStatus, installLicense, removeLicense } from './installed-license';
import { issueLicenseToken, LICENSE_PREFIX, verifyLicenseToken } from './license-token';
import { PLAN_FEATURES } from './plans';
import { licenseKeyId, parseLicensePublicKey, rawPublicKey, VENDOR_LICENSE_PUBLIC_KEY } from './public-key';
import { checkFeature, requireFeature } from './require-feature';

const NOW = new Date('2026-11-28T12:00:00Z');
const NEXT_YEAR = new Date('2027-11-28T12:00:00Z');
const vendor = generateKeyPairSync('ed25519');
const other = generateKeyPairSync('ed25519');

function issue(plan: 'Pro' | 'Pro+' = 'Pro+', over: { expiresAt?: Date; issuedAt?: Date; key?: KeyObject } = {}) {
  return issueLicenseToken(over.key ?? vendor.privateKey, {
    licensee: 'Jane Doe',
    plan,
    features: [...PLAN_FEATURES[plan]],
    issuedAt: over.issuedAt ?? new Date('2026-11-01T00:00:00Z'),
    expiresAt: over.expiresAt ?? NEXT_YEAR,
  });
}

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

/** Re-encodes the payload part with a change, keeping the original signature. */
function withPayload(token: string, change: (payload: Record<string, unknown>) => void): string {
  const [prefix, payload, signature] = token.split('.');
  const json = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
  change(json);
  return `${prefix}.${Buffer.from(JSON.stringify(json)).toString('base64url')}.${signature}`;
}

describe('license tokens', () => {
  it('verify offline against the trusted key and carry licensee, plan, features and dates', () => {
    const token = issue();
    expect(token).toMatch(/^coblic1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    expect(verifyLicenseToken(token, vendor.publicKey)).toEqual({
      id: expect.any(String),
      keyId: licenseKeyId(vendor.publicKey),
      licensee: 'Jane Doe',
      plan: 'Pro+',
      features: ['priority_support', 'backup_verification'],
      issuedAt: new Date('2026-11-01T00:00:00Z'),
      expiresAt: NEXT_YEAR,
    });
  });

  it('accept a token wrapped over lines or indented, as e-mail does', () => {
    const token = issue();
    const wrapped = `  ${token.match(/.{1,60}/g)?.join('\n  ')}\n`;
    expect(verifyLicenseToken(wrapped, vendor.publicKey).licensee).toBe('Jane Doe');
  });

  it.each([
    ['licensee', (p: Record<string, unknown>) => (p.licensee = 'Mallory')],
    ['plan', (p: Record<string, unknown>) => (p.plan = 'Pro+ Enterprise')],
    ['features', (p: Record<string, unknown>) => (p.features = ['backup_verification', 'priority_support', 'x'])],
    ['expiry', (p: Record<string, unknown>) => (p.expiresAt = '2099-01-01T00:00:00.000Z')],
  ])('refuse a payload whose %s was changed after signing', (_field, change) => {
    const tampered = withPayload(issue('Pro'), change);
    expect(errorOf(() => verifyLicenseToken(tampered, vendor.publicKey)).message).toBe(
      'The license signature does not match its contents: it was changed after it was issued. Paste it again exactly as you received it.',
    );
  });

  it('refuse a changed, shortened or lengthened signature', () => {
    const token = issue();
    const signature = Buffer.from(token.split('.')[2] ?? '', 'base64url');
    const body = token.slice(0, token.lastIndexOf('.'));
    for (const bad of [
      Buffer.from(signature.map((b, i) => (i === 10 ? b ^ 0x01 : b))),
      signature.subarray(0, 63),
      Buffer.concat([signature, Buffer.from([0])]),
    ]) {
      const error = errorOf(() => verifyLicenseToken(`${body}.${bad.toString('base64url')}`, vendor.publicKey));
      expect([error.code, error.message]).toEqual([
        'invalid_input',
        expect.stringMatching(/^The license signature does not match/),
      ]);
    }
  });

  it('name both key ids when a license was signed with another key', () => {
    const error = errorOf(() => verifyLicenseToken(issue('Pro+', { key: other.privateKey }), vendor.publicKey));
    expect(error.message).toBe(
      `This license was signed with another key (key id ${licenseKeyId(other.publicKey)}) than the one this installation trusts (key id ${licenseKeyId(vendor.publicKey)}). It was issued for another product or a test setup; ask the vendor for a license for this one.`,
    );
    // Claiming the trusted key's id does not help: the signature still fails.
    const forged = withPayload(issue('Pro+', { key: other.privateKey }), (p) => (p.kid = licenseKeyId(vendor.publicKey)));
    expect(errorOf(() => verifyLicenseToken(forged, vendor.publicKey)).message).toMatch(/^The license signature does not match/);
  });

  it.each([
    ['', 'Paste a license: the text is empty.'],
    ['hello world', 'This is not a Cloud OS Backups license: a license starts with “coblic1.”.'],
    [`cob_${'a'.repeat(43)}`, 'This is an API token, not a license. A license starts with “coblic1.”.'],
    [
      'coblic2.abc.def',
      'This license has format version 2, which this version of Cloud OS Backups cannot read. Update Cloud OS Backups first.',
    ],
    ['coblic1.abc', 'The license is incomplete or damaged: copy it again, all of it, exactly as you received it.'],
    ['coblic1.abc.d$f', 'The license is incomplete or damaged: copy it again, all of it, exactly as you received it.'],
    ['coblic1.a.b.c', 'The license is incomplete or damaged: copy it again, all of it, exactly as you received it.'],
    [`coblic1.${'a'.repeat(9000)}.b`, 'This is not a Cloud OS Backups license: it is far too long.'],
  ])('refuse malformed text %# with a clear message', (text, message) => {
    const error = errorOf(() => verifyLicenseToken(text, vendor.publicKey));
    expect([error.code, error.message]).toEqual(['invalid_input', message]);
  });

  it('refuse a properly signed payload that is not a license', () => {
    const body = `${LICENSE_PREFIX}.${Buffer.from('{"licensee":"x"}').toString('base64url')}`;
    const token = `${body}.${sign(null, Buffer.from(body), vendor.privateKey).toString('base64url')}`;
    expect(errorOf(() => verifyLicenseToken(token, vendor.publicKey)).message).toBe(
      'The license is signed but its contents are not readable by this version. Ask the vendor for a new license.',
    );
  });

  it('are not issued with an expiry before the issue date, an empty licensee or repeated features', () => {
    const base = { licensee: 'Jane', plan: 'Pro', features: ['priority_support'], issuedAt: NOW, expiresAt: NEXT_YEAR };
    expect(errorOf(() => issueLicenseToken(vendor.privateKey, { ...base, expiresAt: NOW })).message).toMatch(
      /expiresAt must be after issuedAt/,
    );
    expect(errorOf(() => issueLicenseToken(vendor.privateKey, { ...base, licensee: ' ' })).message).toMatch(
      /^Cannot issue this license: licensee/,
    );
    expect(errorOf(() => issueLicenseToken(vendor.privateKey, { ...base, features: ['a', 'a'] })).message).toMatch(
      /must not repeat/,
    );
  });
});

describe('license public keys', () => {
  it('ship the vendor key and read PEM, PEM with escaped newlines, and raw base64 / base64url', () => {
    expect(licenseKeyId(parseLicensePublicKey(VENDOR_LICENSE_PUBLIC_KEY))).toBe('9632eee952ae5e41');
    const pem = String(vendor.publicKey.export({ type: 'spki', format: 'pem' }));
    const id = licenseKeyId(vendor.publicKey);
    for (const text of [
      pem,
      pem.trim().replaceAll('\n', '\\n'),
      rawPublicKey(vendor.publicKey).toString('base64'),
      rawPublicKey(vendor.publicKey).toString('base64url'),
    ])
      expect(licenseKeyId(parseLicensePublicKey(text))).toBe(id);
  });

  it('refuse what is not an Ed25519 public key', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' });
    expect(() => parseLicensePublicKey(String(rsa))).toThrow('must be an Ed25519 public key, not rsa');
    expect(() => parseLicensePublicKey('nonsense')).toThrow(/^must be an Ed25519 public key: PEM/);
    expect(() => parseLicensePublicKey(String(vendor.privateKey.export({ type: 'pkcs8', format: 'pem' })))).toThrow(
      'must be the public key, not the private key (which stays with the vendor)',
    );
    expect(licenseKeyId(createPublicKey(vendor.privateKey))).toBe(licenseKeyId(vendor.publicKey));
  });
});

describe('the installed license', () => {
  let instance: TempInstance;
  const options = { now: NOW, publicKey: vendor.publicKey };
  beforeEach(() => {
    instance = createTempInstance();
  });
  afterEach(() => instance.cleanup());

  it('is none at first, then what was installed, replaced by a newer one, and gone when removed', async () => {
    const { db } = instance;
    expect(await getLicenseStatus(db, options)).toEqual({ state: 'none' });
    const pro = await installLicense(db, issue('Pro'), options);
    expect(pro).toMatchObject({
      plan: 'Pro',
      licensee: 'Jane Doe',
      features: ['priority_support'],
      expiresAt: NEXT_YEAR.toISOString(),
    });
    expect(await getLicenseStatus(db, options)).toEqual({ state: 'valid', license: pro });
    await installLicense(db, issue('Pro+'), options);
    expect(await getLicenseStatus(db, options)).toMatchObject({ state: 'valid', license: { plan: 'Pro+' } });
    expect(await removeLicense(db)).toBe(true);
    expect(await removeLicense(db)).toBe(false);
    expect(await getLicenseStatus(db, options)).toEqual({ state: 'none' });
  });

  it('refuses expired, altered, foreign and malformed tokens and keeps what was installed', async () => {
    const { db } = instance;
    const good = issue('Pro');
    await installLicense(db, good, options);
    const expired = issue('Pro+', { issuedAt: new Date('2025-01-01T00:00:00Z'), expiresAt: new Date('2026-01-01T00:00:00Z') });
    expect((await rejectionOf(installLicense(db, expired, options))).message).toBe(
      'This license expired on 2026-01-01. Nothing was installed.',
    );
    for (const bad of [
      withPayload(issue('Pro+'), (p) => (p.licensee = 'M')),
      issue('Pro+', { key: other.privateKey }),
      'coblic1.x',
    ])
      expect((await rejectionOf(installLicense(db, bad, options))).code).toBe('invalid_input');
    expect(await getSetting(db, SettingKey.licenseToken)).toBe(good);
  });

  it('shows as expired once its time passed, and as invalid when the trusted key or the row changed', async () => {
    const { db } = instance;
    await installLicense(db, issue('Pro+'), options);
    expect(await getLicenseStatus(db, { ...options, now: NEXT_YEAR })).toMatchObject({
      state: 'expired',
      license: { plan: 'Pro+' },
      message: 'This license expired on 2027-11-28.',
    });
    expect(await getLicenseStatus(db, { ...options, publicKey: other.publicKey })).toEqual({
      state: 'invalid',
      message: expect.stringMatching(/^This license was signed with another key/),
    });
    await putSetting(db, SettingKey.licenseToken, 'coblic1.garbage');
    expect(await getLicenseStatus(db, options)).toMatchObject({
      state: 'invalid',
      message: expect.stringMatching(/incomplete or damaged/),
    });
  });
});

describe('requireFeature', () => {
  let instance: TempInstance;
  const options = { now: NOW, publicKey: vendor.publicKey };
  beforeEach(() => {
    instance = createTempInstance();
  });
  afterEach(() => instance.cleanup());

  async function denial() {
    const error = await rejectionOf(requireFeature(instance.db, 'backup_verification', options));
    return { code: error.code, details: error.details, message: error.message };
  }

  it('refuses without a license, with feature and plan for the 402 answer', async () => {
    expect(await denial()).toEqual({
      code: 'feature_not_licensed',
      details: { feature: 'backup_verification', plan: 'Pro+' },
      message:
        'Backup verification needs a Pro+ license (feature “backup_verification”). No license is installed: add one under Settings → License.',
    });
  });

  it('refuses a Pro license, an expired Pro+ one and an invalid one; grants a valid Pro+ license', async () => {
    const { db } = instance;
    await installLicense(db, issue('Pro'), options);
    expect((await denial()).message).toMatch(/The installed Pro license does not include it\.$/);
    expect(await checkFeature(db, 'priority_support', options)).toMatchObject({ licensed: true, license: { plan: 'Pro' } });

    await installLicense(db, issue('Pro+'), options);
    expect(await requireFeature(db, 'backup_verification', options)).toMatchObject({ plan: 'Pro+', licensee: 'Jane Doe' });

    const expired = await rejectionOf(requireFeature(db, 'backup_verification', { ...options, now: NEXT_YEAR }));
    expect([expired.code, expired.message]).toEqual([
      'feature_not_licensed',
      expect.stringMatching(/This license expired on 2027-11-28\. Install a renewed license under Settings → License\.$/),
    ]);
    const foreign = await rejectionOf(requireFeature(db, 'backup_verification', { ...options, publicKey: other.publicKey }));
    expect(foreign.message).toMatch(/The installed license is not valid: This license was signed with another key/);
  });
});
