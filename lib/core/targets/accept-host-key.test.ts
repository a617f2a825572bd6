import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteDir, startSshd } from '@/test/helpers/services';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { acceptHostKey } from './accept-host-key';
import { createTarget, testTarget } from './targets';

let instance: TempInstance;
const instanceKey = randomBytes(32);
let sftp: Record<string, string>;
let remoteDir: string;
// The shared test sshd keeps its key; a reinstalled server is simulated by pinning another one.
const OLD_KEY = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
const OTHER_KEY = 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB=';

beforeAll(() => {
  instance = createTempInstance();
  sftp = startSshd();
  remoteDir = createRemoteDir(sftp, 'hostkey');
}, 60_000);
afterAll(async () => {
  await instance.cleanup();
  rmSync(remoteDir, { recursive: true, force: true });
});

async function addSftp(name: string, password = sftp.SFTP_PASSWORD) {
  await createTarget(instance.db, instanceKey, {
    kind: 'sftp',
    name,
    host: sftp.SFTP_HOST,
    port: Number(sftp.SFTP_PORT),
    username: sftp.SFTP_USERNAME,
    auth: { method: 'password', password },
    remotePath: remoteDir,
  });
  await instance.db.target.update({ where: { name }, data: { hostKeySha256: OLD_KEY } });
}
const pinned = async (name: string) => (await instance.db.target.findUniqueOrThrow({ where: { name } })).hostKeySha256;

describe('host key mismatch and acceptHostKey', () => {
  it('reports both fingerprints, trusts the one the user accepted, and then tests fine', async () => {
    await addSftp('NAS');
    const refused = await testTarget(instance.db, instanceKey, 'NAS');
    expect(refused.ok).toBe(false);
    expect(refused.steps[0]).toMatchObject({ step: 'write', ok: false, message: expect.stringMatching(/host key .* changed/) });
    expect(refused.hostKeyMismatch?.pinnedSha256).toBe(OLD_KEY);
    const seen = refused.hostKeyMismatch?.seenSha256 ?? '';
    expect(seen).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(seen).not.toBe(OLD_KEY);

    await acceptHostKey(instance.db, instanceKey, 'NAS', `SHA256:${seen}`);
    expect(await pinned('NAS')).toBe(seen);
    const passed = await testTarget(instance.db, instanceKey, 'NAS');
    expect(passed).toMatchObject({ ok: true });
    expect(passed.hostKeyMismatch).toBeUndefined();
  }, 60_000);

  it('refuses to trust a fingerprint the server does not present, and pins nothing', async () => {
    await addSftp('NAS 2');
    await expect(acceptHostKey(instance.db, instanceKey, 'NAS 2', OTHER_KEY)).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/yet another host key/),
    });
    expect(await pinned('NAS 2')).toBe(OLD_KEY);
  }, 60_000);

  it('pins nothing when the login fails', async () => {
    await addSftp('NAS wrong password', 'not the password');
    const seen = (await testTarget(instance.db, instanceKey, 'NAS wrong password')).hostKeyMismatch?.seenSha256 ?? '';
    expect(seen).not.toBe('');
    await expect(acceptHostKey(instance.db, instanceKey, 'NAS wrong password', seen)).rejects.toMatchObject({
      code: 'auth_failed',
    });
    expect(await pinned('NAS wrong password')).toBe(OLD_KEY);
  }, 60_000);

  it('refuses a malformed fingerprint and a target without host key', async () => {
    await expect(acceptHostKey(instance.db, instanceKey, 'NAS', 'abc')).rejects.toMatchObject({ code: 'invalid_input' });
    await createTarget(instance.db, instanceKey, { kind: 'local', name: 'Disk', path: '/mnt/x' });
    await expect(acceptHostKey(instance.db, instanceKey, 'Disk', OTHER_KEY)).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Only SFTP targets have a host key.',
    });
  });
});
