import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initializeInstance } from '@/lib/core/setup/initialize-instance';
import { createRemoteDir, createTestBucket, startRadosgw, startSshd } from '@/test/helpers/services';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { CA_CERTIFICATE_MESSAGE, CA_NEEDS_HTTPS } from './ca-certificate';
import { removeTarget } from './remove-target';
import { createTarget, listTargets, openTarget, testTarget } from './targets';

let instance: TempInstance;
const instanceKey = randomBytes(32);
let s3: Record<string, string>;
let sftp: Record<string, string>;
let bucket: string;
let remoteDir: string;
let localDir: string;

beforeAll(async () => {
  instance = createTempInstance();
  s3 = startRadosgw();
  sftp = startSshd();
  bucket = await createTestBucket(s3, 'targets');
  remoteDir = createRemoteDir(sftp, 'targets');
  localDir = mkdtempSync(path.join(tmpdir(), 'cloudos-targets-local-'));
}, 120_000);
afterAll(async () => {
  await instance.cleanup();
  rmSync(remoteDir, { recursive: true, force: true });
  rmSync(localDir, { recursive: true, force: true });
});

const s3Input = () => ({
  kind: 's3',
  name: 'Ceph',
  endpoint: s3.S3_ENDPOINT,
  region: 'us-east-1',
  bucket,
  accessKeyId: s3.S3_ACCESS_KEY_ID,
  secretAccessKey: s3.S3_SECRET_ACCESS_KEY,
  prefix: 'cloudos',
});
const sftpInput = () => ({
  kind: 'sftp',
  name: 'NAS',
  host: sftp.SFTP_HOST,
  port: Number(sftp.SFTP_PORT),
  username: sftp.SFTP_USERNAME,
  auth: { method: 'password', password: sftp.SFTP_PASSWORD },
  remotePath: remoteDir,
});

describe('targets', () => {
  it('stores each kind, shows no secret, and keeps secrets out of the database file in plain text', async () => {
    await createTarget(instance.db, instanceKey, { kind: 'local', name: 'USB disk', path: localDir, keepLast: 7 });
    await createTarget(instance.db, instanceKey, s3Input());
    await createTarget(instance.db, instanceKey, sftpInput());
    const views = await listTargets(instance.db);
    expect(views.map((t) => [t.name, t.kind, t.hasSecret, t.keepLast])).toEqual([
      ['USB disk', 'local', false, 7],
      ['Ceph', 's3', true, null],
      ['NAS', 'sftp', true, null],
    ]);
    const shown = JSON.stringify(views);
    expect(shown).not.toContain(s3.S3_SECRET_ACCESS_KEY);
    expect(shown).not.toContain(sftp.SFTP_PASSWORD);
    await instance.db.$executeRawUnsafe('PRAGMA wal_checkpoint(TRUNCATE)');
    const file = readFileSync(instance.databasePath).toString('latin1');
    expect(file).not.toContain(s3.S3_SECRET_ACCESS_KEY);
    expect(file).not.toContain(sftp.SFTP_PASSWORD);
  });

  it('tests each target for real and records the result; pins the SFTP host key', async () => {
    for (const name of ['USB disk', 'Ceph', 'NAS']) {
      const result = await testTarget(instance.db, instanceKey, name);
      expect({ name, ok: result.ok }).toEqual({ name, ok: true });
    }
    const views = await listTargets(instance.db);
    expect(views.every((t) => t.lastTest?.ok === true)).toBe(true);
    const nas = await instance.db.target.findUniqueOrThrow({ where: { name: 'NAS' } });
    expect(nas.hostKeySha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  }, 60_000);

  it('opens a stored target as a working driver', async () => {
    const target = await openTarget(instance.db, instanceKey, 'Ceph');
    await target.put(
      'hello.txt',
      (async function* () {
        yield Buffer.from('hi');
      })(),
    );
    expect(await target.stat('hello.txt')).toMatchObject({ size: 2 });
    await target.delete('hello.txt');
    await target.close();
  });

  it('records a failed test with the reason', async () => {
    await createTarget(instance.db, instanceKey, {
      ...sftpInput(),
      name: 'NAS wrong password',
      auth: { method: 'password', password: 'nope' },
    });
    const result = await testTarget(instance.db, instanceKey, 'NAS wrong password');
    expect(result.ok).toBe(false);
    const view = (await listTargets(instance.db)).find((t) => t.name === 'NAS wrong password');
    expect(view?.lastTest).toMatchObject({ ok: false, message: expect.stringMatching(/refused the login/) });
  }, 30_000);

  it.each([
    [{ kind: 'local', name: 'x', path: 'relative/dir' }, 'The directory must be an absolute path, like /mnt/backups.'],
    [{ ...s3InputLazy(), bucket: 'Bad_Bucket' }, 'A bucket name has 3–63 lowercase letters, digits, "." or "-".'],
    [{ ...s3InputLazy(), endpoint: 'not a url' }, 'The endpoint must be a URL like https://s3.example.com, or empty for AWS.'],
    [
      { kind: 'sftp', name: 'y', host: 'h', username: 'u', auth: { method: 'key', privateKey: 'oops' }, remotePath: '/x' },
      'Paste the whole private key, from -----BEGIN to -----END.',
    ],
    [{ kind: 'ftp', name: 'z' }, /Invalid/],
  ])('refuses bad input with a helpful message (%#)', async (input, message) => {
    const before = await instance.db.target.count();
    await expect(createTarget(instance.db, instanceKey, input)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(message),
    });
    expect(await instance.db.target.count()).toBe(before);
  });

  it('stores a CA certificate in the config, not with the secrets, and the driver trusts it', async () => {
    const ca = readFileSync(s3.S3_TLS_CA ?? '', 'utf8');
    const view = await createTarget(instance.db, instanceKey, {
      ...s3Input(),
      name: 'Ceph HTTPS',
      endpoint: s3.S3_TLS_ENDPOINT,
      caCertificate: `\n${ca}\n\n`,
    });
    expect(view.config.caCertificate).toBe(`${ca.trim()}\n`);
    const result = await testTarget(instance.db, instanceKey, 'Ceph HTTPS');
    expect(result).toEqual({ ok: true, steps: ['write', 'read', 'list', 'delete'].map((step) => ({ step, ok: true })) });
  }, 60_000);

  it('stores no CA certificate when the field is blank', async () => {
    const view = await createTarget(instance.db, instanceKey, { ...s3Input(), name: 'Ceph blank CA', caCertificate: ' \n ' });
    expect(Object.keys(view.config)).not.toContain('caCertificate');
  });

  it.each([
    ['not PEM', { endpoint: 'https://s3.lan', caCertificate: 'my home CA' }, CA_CERTIFICATE_MESSAGE],
    ['a private key', { endpoint: 'https://s3.lan', caCertificate: PRIVATE_KEY }, CA_CERTIFICATE_MESSAGE],
    ['an http:// endpoint', { endpoint: 'http://s3.lan', caCertificate: TEST_CA }, CA_NEEDS_HTTPS],
    ['AWS (no endpoint)', { endpoint: '', caCertificate: TEST_CA }, CA_NEEDS_HTTPS],
  ])('refuses a CA certificate that is %s, on its field, and stores nothing', async (_what, change, message) => {
    const before = await instance.db.target.count();
    await expect(createTarget(instance.db, instanceKey, { ...s3InputLazy(), ...change })).rejects.toMatchObject({
      code: 'invalid_input',
      message,
      fields: { caCertificate: message },
    });
    expect(await instance.db.target.count()).toBe(before);
  });

  it('refuses a duplicate name, removes a target, and says when a name is unknown', async () => {
    await expect(
      createTarget(instance.db, instanceKey, { kind: 'local', name: 'USB disk', path: localDir }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await removeTarget(instance.db, 'NAS wrong password');
    await expect(testTarget(instance.db, instanceKey, 'NAS wrong password')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('a fresh instance', () => {
  it('comes with a default local target in the data directory', async () => {
    const fresh = createTempInstance();
    const dir = path.join(fresh.dir, 'backups');
    await initializeInstance(
      fresh.db,
      instanceKey,
      { username: 'admin', password: 'correct horse battery', passphrase: { mode: 'generate' } },
      { defaultTargetDir: dir },
    );
    const [target] = await listTargets(fresh.db);
    expect(target).toMatchObject({ name: 'Local backups', kind: 'local', isDefault: true, config: { path: dir } });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect((await testTarget(fresh.db, instanceKey, 'Local backups')).ok).toBe(true);
    await fresh.cleanup();
  });
});

const TEST_CA = readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/test-ca-cert.pem'), 'utf8');
const PRIVATE_KEY = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----\n';

// it.each's table is built before beforeAll runs; fields that need the server are filled later.
function s3InputLazy() {
  return { kind: 's3', name: 'bad', region: 'us-east-1', bucket: 'good-bucket', accessKeyId: 'a', secretAccessKey: 'b' };
}
