import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseKeyFile, tryOpenKeyFile } from '@/lib/core/crypto/key-file';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createRemoteDir, startSshd } from '@/test/helpers/services';
import { changeBackupPassphrase } from './backup-keys';

const OLD = 'a long enough backup passphrase'; // the harness's
const NEW = 'the passphrase after the change';
let harness: BackupHarness;
let localDir: string;
let remoteDir: string;
let sftp: Record<string, string>;

const keyFileIn = (dir: string, keyId: string) =>
  parseKeyFile(JSON.parse(readFileSync(path.join(dir, 'keys', `${keyId}.json`), 'utf8')));
const pending = async () =>
  Object.fromEntries((await harness.instance.db.target.findMany()).map((t) => [t.name, t.keyFilePending]));

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 10 });
  localDir = mkdtempSync(path.join(tmpdir(), 'cloudos-publish-'));
  sftp = startSshd();
  remoteDir = createRemoteDir(sftp, 'publish');
  const db = harness.instance.db;
  await createTarget(db, harness.instanceKey, { kind: 'local', name: 'nas', path: localDir });
  await createTarget(db, harness.instanceKey, { kind: 'local', name: 'unused', path: path.join(localDir, 'never-used') });
  // The SFTP server is down when the passphrase changes (nothing listens on port 1).
  await createTarget(db, harness.instanceKey, {
    kind: 'sftp',
    name: 'offsite',
    host: sftp.SFTP_HOST,
    port: 1,
    username: sftp.SFTP_USERNAME,
    auth: { method: 'password', password: sftp.SFTP_PASSWORD },
    remotePath: remoteDir,
  });
  await harness.backup({ target: 'nas', scope: 'apps', apps: ['notes'] });
}, 120_000);
afterAll(async () => {
  await harness?.cleanup();
  rmSync(localDir, { recursive: true, force: true });
  if (remoteDir) rmSync(remoteDir, { recursive: true, force: true });
});

describe('a passphrase change writes the new key file to every target', () => {
  it('writes it where a repository is, marks an unreachable target pending, and its next backup writes it there', async () => {
    const change = await changeBackupPassphrase(harness.instance.db, harness.instanceKey, { current: OLD, next: NEW });
    expect(change.written).toEqual(['nas']);
    expect(change.pending).toEqual([{ target: 'offsite', reason: expect.stringMatching(/.+/) }]);
    expect(await pending()).toEqual({ nas: false, unused: false, offsite: true });
    // Backups made before the change now open with the new passphrase through the key file there.
    const onNas = keyFileIn(localDir, change.keyFile.keyId);
    expect(onNas).toEqual(change.keyFile);
    expect(await tryOpenKeyFile(onNas, NEW)).not.toBeNull();

    // The server is back: the next backup to it writes the current key file and clears the mark.
    const row = await harness.instance.db.target.findUniqueOrThrow({ where: { name: 'offsite' } });
    const config = { ...JSON.parse(row.config), port: Number(sftp.SFTP_PORT) };
    await harness.instance.db.target.update({ where: { id: row.id }, data: { config: JSON.stringify(config) } });
    await harness.backup({ target: 'offsite', scope: 'apps', apps: ['notes'] });
    expect(await pending()).toEqual({ nas: false, unused: false, offsite: false });
    expect(keyFileIn(remoteDir, change.keyFile.keyId)).toEqual(change.keyFile);
  }, 120_000);
});
