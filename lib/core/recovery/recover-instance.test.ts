import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { loadBackupKeys } from '@/lib/core/keys/backup-keys';
import { runRestore } from '@/lib/core/restore/run-restore';
import { isInstanceInitialized } from '@/lib/core/setup/initialize-instance';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { isRecoveryPending, RECOVERY_USERNAME, recoverInstance, testRecoveryTarget } from './recover-instance';

const PASSPHRASE = 'a long enough backup passphrase'; // the harness's
let repository: string;
let old: BackupHarness;
let fullId: string;
let fresh: TempInstance;
const freshKey = randomBytes(32);
const target = () => ({ kind: 'local', name: 'nas', path: repository });

beforeAll(async () => {
  repository = mkdtempSync(path.join(tmpdir(), 'cloudos-recover-'));
  old = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 10 });
  await createTarget(old.instance.db, old.instanceKey, target());
  await old.backup({ target: 'nas', scope: 'apps', apps: ['notes'] });
  fullId = (await old.backup({ target: 'nas', scope: 'full' })).backupId;
  fresh = createTempInstance();
}, 120_000);
afterAll(async () => {
  await old?.cleanup();
  await fresh?.cleanup();
  rmSync(repository, { recursive: true, force: true });
});

describe('setting a fresh instance up from an old server’s backups', () => {
  it('stores nothing when the passphrase is wrong, the target holds no repository or no full-system backup', async () => {
    expect((await testRecoveryTarget(fresh.db, target())).ok).toBe(true);
    await expect(
      recoverInstance(fresh.db, freshKey, { target: target(), passphrase: 'not the passphrase' }),
    ).rejects.toMatchObject({
      code: 'wrong_passphrase',
    });
    const empty = mkdtempSync(path.join(tmpdir(), 'cloudos-recover-empty-'));
    try {
      await expect(
        recoverInstance(fresh.db, freshKey, { target: { ...target(), path: empty }, passphrase: PASSPHRASE }),
      ).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('no Cloud OS backup repository') });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
    await expect(
      recoverInstance(fresh.db, freshKey, { target: { kind: 'local', name: '', path: 'relative' }, passphrase: PASSPHRASE }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(recoverInstance(fresh.db, freshKey, { target: target(), passphrase: '' })).rejects.toMatchObject({
      code: 'invalid_input',
      fields: { passphrase: 'Enter the backup passphrase of the old server.' },
    });
    // Only apps backups there: the accounts could not come back, so nothing is set up.
    const appsOnly = mkdtempSync(path.join(tmpdir(), 'cloudos-recover-apps-'));
    try {
      await createTarget(old.instance.db, old.instanceKey, { kind: 'local', name: 'apps only', path: appsOnly });
      await old.backup({ target: 'apps only', scope: 'apps', apps: ['notes'] });
      await expect(
        recoverInstance(fresh.db, freshKey, { target: { ...target(), path: appsOnly }, passphrase: PASSPHRASE }),
      ).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('but none is a full-system backup') });
    } finally {
      rmSync(appsOnly, { recursive: true, force: true });
    }
    expect(await isInstanceInitialized(fresh.db)).toBe(false);
    expect([await fresh.db.user.count(), await fresh.db.target.count(), await fresh.db.backup.count()]).toEqual([0, 0, 0]);
  }, 60_000);

  it('takes the old key, imports the backups, and the system restore brings the old accounts back', async () => {
    const { userId, report } = await recoverInstance(fresh.db, freshKey, { target: target(), passphrase: PASSPHRASE });
    expect(report.imported.map((b) => b.scope)).toEqual(['full', 'apps']);
    expect(await fresh.db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ username: RECOVERY_USERNAME });
    const oldKeys = await loadBackupKeys(old.instance.db, old.instanceKey);
    expect((await loadBackupKeys(fresh.db, freshKey)).masterKey.equals(oldKeys.masterKey)).toBe(true);
    expect(await isRecoveryPending(fresh.db)).toBe(true);
    await expect(recoverInstance(fresh.db, freshKey, { target: target(), passphrase: PASSPHRASE })).rejects.toMatchObject({
      code: 'conflict',
    });
    await expect(testRecoveryTarget(fresh.db, target())).rejects.toMatchObject({ code: 'conflict' });

    const payload = { backupId: fullId, system: true };
    const job = await enqueueJob(fresh.db, 'restore', payload, { createdBy: RECOVERY_USERNAME });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cloudos-recover-data-'));
    try {
      await runRestore(payload, {
        db: fresh.db,
        instanceKey: freshKey,
        env: { appsDir: path.join(dataDir, 'apps'), dataDir, databasePath: fresh.databasePath, dockerBin: old.docker.bin },
        jobId: job.id,
        log: async () => {},
        reportProgress: () => {},
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect((await fresh.db.user.findMany()).map((u) => u.username)).toEqual(['admin']);
    expect(await isRecoveryPending(fresh.db)).toBe(false);
    // The instance goes on with the old key and passphrase: its next backups open with it.
    expect((await loadBackupKeys(fresh.db, freshKey)).keyFile.keyId).toBe(oldKeys.keyFile.keyId);
  }, 60_000);
});
