import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setConsistencyMode } from '@/lib/core/apps/app-settings';
import { hashPassword } from '@/lib/core/auth/password';
import { createKeyFile, generateMasterKey, masterKeyId } from '@/lib/core/crypto/key-file';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { holdMasterKey, loadKeyRing } from '@/lib/core/keys/key-ring';
import { SettingKey } from '@/lib/core/settings/settings';
import { createTarget, unsealSecrets } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { snapshotTree } from '@/test/helpers/tree';
import type { RestoreRequest } from './restore-request';
import { runRestore } from './run-restore';

let harness: BackupHarness;
let targetDir: string;
let fullId: string;

async function restore(request: Omit<RestoreRequest, 'system'> & { system?: boolean }) {
  const payload = { system: false, ...request };
  const job = await enqueueJob(harness.instance.db, 'restore', payload, { createdBy: 'test' });
  return runRestore(payload, {
    db: harness.instance.db,
    instanceKey: harness.instanceKey,
    env: {
      appsDir: harness.apps.appsDir,
      dataDir: harness.instance.dir,
      databasePath: harness.instance.databasePath,
      dockerBin: harness.docker.bin,
    },
    jobId: job.id,
    log: async (message, level = 'info') => {
      harness.logs.push({ message, level });
    },
    reportProgress: () => {},
  });
}

const db = () => harness.instance.db;
const settingsOf = async (keys: string[]) =>
  Object.fromEntries((await db().setting.findMany({ where: { key: { in: keys } } })).map((s) => [s.key, s.value]));

let heldKey: Buffer;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 1024 * 1024, smallFiles: 50 });
  targetDir = mkdtempSync(path.join(tmpdir(), 'cloudos-restore-system-'));
  await createTarget(db(), harness.instanceKey, { kind: 'local', name: 'local', path: targetDir });
  // Held by the backed-up instance: a second target with a secret, and another server's key.
  await createTarget(db(), harness.instanceKey, {
    kind: 'sftp',
    name: 'offsite',
    host: 'backup.example.org',
    username: 'cloudos',
    auth: { method: 'password', password: 'the sftp password' },
    remotePath: '/srv/backups',
  });
  heldKey = generateMasterKey();
  await holdMasterKey(db(), harness.instanceKey, heldKey, await createKeyFile(heldKey, 'another server passphrase'));
  await setConsistencyMode(db(), 'notes', 'live');
  await db().setting.create({ data: { key: SettingKey.licenseToken, value: 'license-in-the-backup' } });
  fullId = (await harness.backup({ target: 'local', scope: 'full' })).backupId;
}, 120_000);
afterAll(async () => {
  await harness?.cleanup();
  if (targetDir) rmSync(targetDir, { recursive: true, force: true });
});

describe('restoring the system settings and user accounts', () => {
  it('brings back accounts and settings, and keeps this instance’s keys, catalog, targets and jobs', async () => {
    const [admin] = await db().user.findMany();
    const keysBefore = await settingsOf([SettingKey.backupMasterKey, SettingKey.backupKeyFile, SettingKey.backupPassphrase]);
    // After the backup: a new account, a changed password, another mode, a new target, a session.
    await db().user.create({ data: { id: 'u2', username: 'later', passwordHash: await hashPassword('another long password') } });
    await db().user.update({ where: { id: admin?.id }, data: { passwordHash: await hashPassword('changed long password') } });
    await setConsistencyMode(db(), 'notes', 'stop');
    await createTarget(db(), harness.instanceKey, { kind: 'local', name: 'added later', path: targetDir });
    await db().session.create({
      data: { id: 's1', tokenHash: 'h', userId: admin?.id ?? '', expiresAt: new Date(Date.now() + 60_000) },
    });
    const appsBefore = snapshotTree(harness.apps.appsDir);
    const backupsBefore = await db().backup.count();
    harness.docker.clearCalls();

    const result = await restore({ backupId: fullId, system: true });

    expect(result).toEqual({ backupId: fullId, restored: [], rolledBack: [], system: true });
    expect(await db().user.findMany()).toEqual([admin]);
    expect(await settingsOf(['app.notes.consistency'])).toEqual({ 'app.notes.consistency': 'live' });
    expect(await settingsOf(Object.keys(keysBefore))).toEqual(keysBefore);
    expect((await db().target.findMany()).map((t) => t.name).sort()).toEqual(['added later', 'local', 'offsite']);
    expect(await db().backup.count()).toBe(backupsBefore);
    expect(await db().job.count({ where: { type: 'restore' } })).toBe(1);
    expect(await db().session.count()).toBe(0);
    expect(snapshotTree(harness.apps.appsDir)).toEqual(appsBefore); // the system part only
    expect(harness.docker.lifecycle()).toEqual([]);
    expect(readdirSync(harness.instance.dir).filter((n) => n.startsWith('.restore-'))).toEqual([]);
    expect(harness.logs.some((l) => l.message.startsWith('Restored 1 user account(s)'))).toBe(true);
  }, 60_000);

  it('merges the backed-up targets (secrets sealed again), and held keys, keeping what is here', async () => {
    const offsite = await db().target.findUniqueOrThrow({ where: { name: 'offsite' } });
    await db().target.delete({ where: { id: offsite.id } });
    await db().masterKey.deleteMany({});
    // Since the backup: another target took the name, at another place.
    await createTarget(db(), harness.instanceKey, {
      kind: 'sftp',
      name: 'offsite',
      host: 'elsewhere.example.org',
      username: 'cloudos',
      auth: { method: 'password', password: 'another password' },
      remotePath: '/srv/backups',
    });
    await restore({ backupId: fullId, system: true });
    const restored = await db().target.findUniqueOrThrow({ where: { id: offsite.id } });
    expect(restored).toMatchObject({ name: 'offsite restored', config: offsite.config });
    expect(unsealSecrets(harness.instanceKey, restored)).toEqual({ password: 'the sftp password' });
    expect(restored.secrets).toMatch(/^sealed:v1:/);
    expect(unsealSecrets(harness.instanceKey, await db().target.findUniqueOrThrow({ where: { name: 'offsite' } }))).toEqual({
      password: 'another password',
    });
    const ring = await loadKeyRing(db(), harness.instanceKey);
    expect(ring.get(masterKeyId(heldKey))?.masterKey.equals(heldKey)).toBe(true);
  }, 60_000);

  it('changes nothing when the backup is corrupted', async () => {
    await db().user.create({ data: { id: 'u3', username: 'kept', passwordHash: 'x' } });
    const users = await db().user.findMany({ orderBy: { username: 'asc' } });
    const file = path.join(targetDir, 'archives', `${fullId}.cob`);
    const original = readFileSync(file);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 100] = (damaged[damaged.length - 100] ?? 0) ^ 1;
    writeFileSync(file, damaged);
    try {
      await expect(restore({ backupId: fullId, system: true })).rejects.toMatchObject({
        code: 'corrupted',
        message: expect.stringContaining('nothing was changed'),
      });
    } finally {
      writeFileSync(file, original);
    }
    expect(await db().user.findMany({ orderBy: { username: 'asc' } })).toEqual(users);
    expect(readdirSync(harness.instance.dir).filter((n) => n.startsWith('.restore-'))).toEqual([]);
  }, 60_000);

  it('keeps a license installed here, and brings the backup’s back onto a server without one', async () => {
    const license = async () => (await settingsOf([SettingKey.licenseToken]))[SettingKey.licenseToken];
    await db().setting.update({ where: { key: SettingKey.licenseToken }, data: { value: 'license-installed-later' } });
    await restore({ backupId: fullId, system: true });
    expect(await license()).toBe('license-installed-later');
    await db().setting.delete({ where: { key: SettingKey.licenseToken } });
    await restore({ backupId: fullId, system: true });
    expect(await license()).toBe('license-in-the-backup');
  }, 60_000);
});
