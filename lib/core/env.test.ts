import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, parseEnv, resetEnvForTests } from './env';
import { trustedLicenseKey } from './license/installed-license';
import { licenseKeyId, parseLicensePublicKey, VENDOR_LICENSE_PUBLIC_KEY } from './license/public-key';

describe('parseEnv', () => {
  it('defaults to ./data with the database and apps inside it', () => {
    const env = parseEnv({});
    expect(env.dataDir).toBe(path.resolve('data'));
    expect(env.databasePath).toBe(path.resolve('data', 'cloudos.db'));
    expect(env.databaseUrl).toBe(`file:${path.resolve('data', 'cloudos.db')}`);
    expect(env.appsDir).toBe(path.resolve('data', 'apps'));
    expect(env.instanceKeyPath).toBe(path.resolve('data', 'instance.key'));
    expect(env.dockerBin).toBe('docker');
    expect(env.port).toBe(3000);
  });

  it('derives the database and apps paths from CLOUDOS_DATA_DIR unless they are set', () => {
    expect(parseEnv({ CLOUDOS_DATA_DIR: '/srv/cloudos' }).databasePath).toBe('/srv/cloudos/cloudos.db');
    const env = parseEnv({
      CLOUDOS_DATA_DIR: '/srv/cloudos',
      DATABASE_URL: 'file:/var/db/x.db',
      CLOUDOS_APPS_DIR: '/apps',
      TZ: 'Europe/Berlin',
    });
    expect([env.databasePath, env.appsDir, env.timeZone]).toEqual(['/var/db/x.db', '/apps', 'Europe/Berlin']);
  });

  it.each([
    [{ PORT: 'eighty' }, /^invalid configuration: PORT must be a whole number from 1 to 65535$/],
    [{ PORT: '70000' }, /^invalid configuration: PORT /],
    [{ DATABASE_URL: 'postgres://x' }, /^invalid configuration: DATABASE_URL must be a SQLite URL/],
    [{ TZ: 'Mars/Olympus' }, /^invalid configuration: TZ is not a known IANA time zone/],
    [{ CLOUDOS_LOG_LEVEL: 'loud' }, /^invalid configuration: CLOUDOS_LOG_LEVEL must be one of debug, info, warn, error$/],
    [
      { CLOUDOS_LICENSE_PUBLIC_KEY: 'not a key' },
      /^invalid configuration: CLOUDOS_LICENSE_PUBLIC_KEY must be an Ed25519 public key/,
    ],
  ])('names the variable and the problem in one line for %o', (source, message) => {
    let error: unknown;
    try {
      parseEnv(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('treats an empty variable as unset', () => {
    expect(parseEnv({ PORT: '', CLOUDOS_DATA_DIR: '' }).port).toBe(3000);
    expect(parseEnv({ CLOUDOS_LICENSE_PUBLIC_KEY: '' }).licensePublicKey).toBeUndefined();
  });
});

describe('CLOUDOS_LICENSE_PUBLIC_KEY', () => {
  afterEach(() => {
    delete process.env.CLOUDOS_LICENSE_PUBLIC_KEY;
    resetEnvForTests();
  });

  it('replaces the vendor key that licenses are verified with', () => {
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(licenseKeyId(trustedLicenseKey())).toBe(licenseKeyId(parseLicensePublicKey(VENDOR_LICENSE_PUBLIC_KEY)));
    process.env.CLOUDOS_LICENSE_PUBLIC_KEY = String(publicKey.export({ type: 'spki', format: 'pem' }));
    resetEnvForTests();
    expect(licenseKeyId(trustedLicenseKey())).toBe(licenseKeyId(publicKey));
  });
});
