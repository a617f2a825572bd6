import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { CA_CERTIFICATE_MESSAGE, CA_NEEDS_HTTPS } from './ca-certificate';
import { createTarget, unsealSecrets } from './targets';
import { updateTarget } from './update-target';

let instance: TempInstance;
const instanceKey = randomBytes(32);
const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n';
const CA = readFileSync(path.join(import.meta.dirname, '../../../test/fixtures/test-ca-cert.pem'), 'utf8');
const PIN = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

const s3 = {
  kind: 's3',
  name: 'Cloud',
  endpoint: 'https://s3.example.com',
  region: 'eu-1',
  bucket: 'my-bucket',
  accessKeyId: 'AKID',
  secretAccessKey: 's3-secret',
};
const sftp = {
  kind: 'sftp',
  name: 'NAS',
  host: 'nas.lan',
  port: 2222,
  username: 'backup',
  auth: { method: 'key', privateKey: KEY, passphrase: 'key-pass' },
  remotePath: '/backups',
};

beforeEach(async () => {
  instance = createTempInstance();
  await createTarget(instance.db, instanceKey, { kind: 'local', name: 'USB disk', path: '/mnt/usb', keepLast: 3 });
  await createTarget(instance.db, instanceKey, s3);
  await createTarget(instance.db, instanceKey, sftp);
  // As after a successful test: a result and a pinned key that edits may have to drop.
  await instance.db.target.updateMany({ data: { lastTestAt: new Date(), lastTestOk: true } });
  await instance.db.target.update({ where: { name: 'NAS' }, data: { hostKeySha256: PIN } });
});
afterEach(() => instance.cleanup());

const row = (name: string) => instance.db.target.findUniqueOrThrow({ where: { name } });

describe('updateTarget', () => {
  it('renames and edits a local target; a new location drops the last test result', async () => {
    const view = await updateTarget(instance.db, instanceKey, 'USB disk', {
      kind: 'local',
      name: 'USB disk 2',
      path: '/mnt/usb2',
      keepLast: 5,
    });
    expect(view).toMatchObject({ name: 'USB disk 2', config: { path: '/mnt/usb2' }, keepLast: 5, lastTest: null });
    expect(await instance.db.target.count({ where: { name: 'USB disk' } })).toBe(0);
  });

  it('keeps the last test result when only the name or retention changes', async () => {
    const view = await updateTarget(instance.db, instanceKey, 'USB disk', { kind: 'local', name: 'Renamed', path: '/mnt/usb' });
    expect(view).toMatchObject({ name: 'Renamed', keepLast: null, lastTest: { ok: true } });
  });

  it('keeps a secret that is left out or empty, and replaces it when a new one is given', async () => {
    const { secretAccessKey: _, ...withoutSecret } = s3;
    await updateTarget(instance.db, instanceKey, 'Cloud', { ...withoutSecret, region: 'eu-2' });
    expect(unsealSecrets(instanceKey, await row('Cloud'))).toEqual({ secretAccessKey: 's3-secret' });
    await updateTarget(instance.db, instanceKey, 'Cloud', { ...s3, secretAccessKey: '' });
    expect(unsealSecrets(instanceKey, await row('Cloud'))).toEqual({ secretAccessKey: 's3-secret' });
    const view = await updateTarget(instance.db, instanceKey, 'Cloud', { ...s3, secretAccessKey: 'new-secret' });
    expect(unsealSecrets(instanceKey, await row('Cloud'))).toEqual({ secretAccessKey: 'new-secret' });
    expect(JSON.stringify(view)).not.toContain('new-secret');
  });

  it('sets, changes and clears the CA certificate (an empty field clears it), dropping the last test', async () => {
    const set = await updateTarget(instance.db, instanceKey, 'Cloud', { ...s3, secretAccessKey: '', caCertificate: CA });
    expect(set).toMatchObject({ config: { caCertificate: CA }, lastTest: null });
    expect(unsealSecrets(instanceKey, await row('Cloud'))).toEqual({ secretAccessKey: 's3-secret' });
    const bundle = `${CA}${CA}`;
    const changed = await updateTarget(instance.db, instanceKey, 'Cloud', { ...s3, caCertificate: bundle });
    expect(changed.config.caCertificate).toBe(bundle);
    const cleared = await updateTarget(instance.db, instanceKey, 'Cloud', { ...s3, caCertificate: '' });
    expect(Object.keys(cleared.config)).not.toContain('caCertificate');
    expect(JSON.parse((await row('Cloud')).config)).toEqual({
      endpoint: 'https://s3.example.com',
      region: 'eu-1',
      bucket: 'my-bucket',
      accessKeyId: 'AKID',
    });
  });

  it('keeps the SFTP key with its passphrase; a new key comes without the old passphrase', async () => {
    await updateTarget(instance.db, instanceKey, 'NAS', { ...sftp, username: 'other', auth: { method: 'key' } });
    expect(unsealSecrets(instanceKey, await row('NAS'))).toEqual({ privateKey: KEY, passphrase: 'key-pass' });
    expect((await row('NAS')).hostKeySha256).toBe(PIN);
    const newKey = KEY.replace('abc', 'def');
    await updateTarget(instance.db, instanceKey, 'NAS', { ...sftp, auth: { method: 'key', privateKey: newKey, passphrase: '' } });
    expect(unsealSecrets(instanceKey, await row('NAS'))).toEqual({ privateKey: newKey });
  });

  it('needs the new secret when the SFTP login method changes, and changes nothing without it', async () => {
    const before = await row('NAS');
    await expect(
      updateTarget(instance.db, instanceKey, 'NAS', { ...sftp, auth: { method: 'password', password: '' } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { 'auth.password': 'Enter the password: the login method changed, so there is none to keep.' },
    });
    expect(await row('NAS')).toEqual(before);
    const view = await updateTarget(instance.db, instanceKey, 'NAS', { ...sftp, auth: { method: 'password', password: 'pw' } });
    expect(view.config).toMatchObject({ authMethod: 'password' });
    expect(unsealSecrets(instanceKey, await row('NAS'))).toEqual({ password: 'pw' });
  });

  it.each([
    ['host', { host: 'nas2.lan' }],
    ['port', { port: 22 }],
  ])('drops the pinned host key when the SFTP %s changes', async (_what, change) => {
    await updateTarget(instance.db, instanceKey, 'NAS', { ...sftp, ...change, auth: { method: 'key' } });
    expect((await row('NAS')).hostKeySha256).toBeNull();
  });

  it.each([
    [
      'USB disk',
      { kind: 'local', name: 'USB disk', path: 'relative' },
      'invalid_input',
      { path: expect.stringMatching(/absolute/) },
    ],
    ['USB disk', { kind: 'local', name: 'NAS', path: '/x' }, 'conflict', { name: 'This name is taken.' }],
    ['USB disk', { ...s3, name: 'USB disk' }, 'invalid_input', { kind: expect.stringMatching(/type cannot change/) }],
    ['NAS', { ...sftp, port: 70000, auth: { method: 'key' } }, 'invalid_input', { port: expect.stringMatching(/1 to 65535/) }],
    [
      'NAS',
      { ...sftp, auth: { method: 'key', privateKey: 'not a key' } },
      'invalid_input',
      { 'auth.privateKey': expect.stringMatching(/whole private key/) },
    ],
    ['Cloud', { ...s3, caCertificate: 'not a certificate' }, 'invalid_input', { caCertificate: CA_CERTIFICATE_MESSAGE }],
    ['Cloud', { ...s3, endpoint: 'http://s3.lan', caCertificate: CA }, 'invalid_input', { caCertificate: CA_NEEDS_HTTPS }],
    ['Cloud', { ...s3, endpoint: '', caCertificate: CA }, 'invalid_input', { caCertificate: CA_NEEDS_HTTPS }],
  ])('refuses a bad edit of %s with a message on the field and changes nothing (%#)', async (name, input, code, fields) => {
    const before = await instance.db.target.findMany({ orderBy: { name: 'asc' } });
    await expect(updateTarget(instance.db, instanceKey, name, input)).rejects.toMatchObject({ code, fields });
    expect(await instance.db.target.findMany({ orderBy: { name: 'asc' } })).toEqual(before);
  });

  it('says when the target does not exist', async () => {
    await expect(
      updateTarget(instance.db, instanceKey, 'Nope', { kind: 'local', name: 'Nope', path: '/x' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
