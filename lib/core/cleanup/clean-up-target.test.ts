import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createRealTargets, type RealTargetKind } from '@/test/helpers/real-targets';
import { archiveKey, manifestKey, putSmallObject } from '../backup/repository';
import type { PartialUpload, StorageTarget } from '../storage/storage-target';
import { createTarget, findTarget, openTarget } from '../targets/targets';
import { cleanUpAllTargets, cleanUpTarget } from './clean-up-target';

// Against real targets: a local directory, Ceph radosgw, OpenSSH sshd.
let harness: BackupHarness;
let targets: { cleanup: () => void };
const MiB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 10 });
  targets = await createRealTargets(harness.instance.db, harness.instanceKey);
}, 300_000);
afterAll(async () => {
  await harness?.cleanup();
  targets?.cleanup();
});

/**
 * A put that has sent 9 MiB (S3: a whole part) and then waits, as an upload in progress — or,
 * once nobody touches it for a day, as what a killed process left. `stop` aborts it.
 */
async function heldPut(target: StorageTarget, key: string): Promise<{ stop: () => Promise<void> }> {
  const controller = new AbortController();
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  async function* body(): AsyncGenerator<Buffer> {
    yield Buffer.alloc(9 * MiB, 7);
    await held;
  }
  const put = target.put(key, body(), { signal: controller.signal, sizeHint: 9 * MiB });
  put.catch(() => {});
  const started = Date.now();
  while (!(await partials(target)).some((p) => p.key === key)) {
    if (Date.now() - started > 30_000) throw new Error(`no partial upload of ${key} appeared`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    stop: async () => {
      controller.abort(new Error('stopped by the test'));
      release();
      await put.catch(() => {});
    },
  };
}

async function partials(target: StorageTarget): Promise<PartialUpload[]> {
  const found: PartialUpload[] = [];
  for await (const partial of target.listPartials('')) found.push(partial);
  return found;
}

async function keys(target: StorageTarget, prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const object of target.list(prefix)) found.push(object.key);
  return found.sort();
}

async function catalogRow(targetName: string, status: string): Promise<string> {
  const target = await findTarget(harness.instance.db, targetName);
  const id = randomBytes(16).toString('hex');
  await harness.instance.db.backup.create({
    data: { id, targetId: target.id, scope: 'full', apps: '[]', status, objectKey: archiveKey(id) },
  });
  return id;
}

describe.each<RealTargetKind>(['local', 's3', 'sftp'])('cleanup of failed and interrupted uploads on %s', (kind) => {
  it('removes what failed backups and dead uploads left, finishes half-done deletions, and never touches a backup or a running upload', async () => {
    const { db } = harness.instance;
    const backup = await harness.backup({ target: kind, scope: 'apps', apps: ['notes'] });
    const target = await openTarget(db, harness.instanceKey, kind);
    const { id: targetId } = await findTarget(db, kind);
    try {
      // A failed backup whose own cleanup could not reach the target: object and manifest left.
      const failed = await catalogRow(kind, 'failed');
      await putSmallObject(target, archiveKey(failed), Buffer.from('not a backup'));
      await putSmallObject(target, manifestKey(failed), Buffer.from('{}'));
      // A deletion retention started and a crash interrupted.
      const deleting = await catalogRow(kind, 'deleting');
      await putSmallObject(target, archiveKey(deleting), Buffer.from('dropped'));
      // A backup uploading right now (another process), and the upload of a process that died
      // without any catalog row of ours (another instance sharing the target, a lost database).
      const running = await catalogRow(kind, 'running');
      const uploading = await heldPut(target, archiveKey(running));
      const orphanKey = archiveKey(randomBytes(16).toString('hex'));
      const orphan = await heldPut(target, orphanKey);
      // A complete upload whose manifest never came, of no backup of ours.
      const unsealed = archiveKey(randomBytes(16).toString('hex'));
      await putSmallObject(target, unsealed, Buffer.from('no manifest'));

      const logs: string[] = [];
      const first = await cleanUpTarget(db, harness.instanceKey, targetId, { log: (m) => void logs.push(m) });
      expect(first.failedCleaned).toEqual([failed]);
      expect(first.deletionsFinished).toEqual([deleting]);
      expect(first.partialsRemoved).toEqual([]);
      expect(first.partialsKept.map((p) => [p.key, p.why]).sort()).toEqual(
        [
          [archiveKey(running), 'running'],
          [orphanKey, 'recent'],
        ].sort(),
      );
      expect(first.orphansRemoved).toEqual([]); // too recent to tell from an upload about to get its manifest
      expect(await keys(target, 'archives/')).toEqual([archiveKey(backup.backupId), unsealed].sort());
      expect(await keys(target, 'manifests/')).toEqual([manifestKey(backup.backupId)]);
      expect((await db.backup.findUniqueOrThrow({ where: { id: failed } })).cleanedAt).toBeInstanceOf(Date);
      expect(await db.backup.findUnique({ where: { id: deleting } })).toBeNull();
      expect((await db.backup.findUniqueOrThrow({ where: { id: backup.backupId } })).status).toBe('succeeded');
      expect(logs).toContain(`Cleanup: removed what the failed backup ${failed} left (its object, its manifest).`);

      // A day later nobody wrote to the orphan: it goes. The running backup's upload stays,
      // however old it looks (recovery decides when its job is dead, not the cleanup).
      const later = await cleanUpTarget(db, harness.instanceKey, targetId, {
        log: (m) => void logs.push(m),
        now: new Date(Date.now() + DAY + 60_000),
      });
      expect(later.partialsRemoved.map((p) => p.key)).toEqual([orphanKey]);
      expect(later.orphansRemoved).toEqual([unsealed]);
      expect(await keys(target, 'archives/')).toEqual([archiveKey(backup.backupId)]);
      expect(later.partialsKept.map((p) => [p.key, p.why])).toEqual([[archiveKey(running), 'running']]);
      expect(later.failedCleaned).toEqual([]); // confirmed once, not checked again
      expect((await partials(target)).map((p) => p.key)).toEqual([archiveKey(running)]);

      // Once that backup has failed, what its upload left is no longer protected.
      await uploading.stop();
      await orphan.stop();
      await db.backup.update({ where: { id: running }, data: { status: 'failed' } });
      await cleanUpTarget(db, harness.instanceKey, targetId, { log: () => {} });
      expect(await partials(target)).toEqual([]);
      expect(await keys(target, 'archives/')).toEqual([archiveKey(backup.backupId)]);
    } finally {
      await target.close();
    }
  }, 180_000);
});

describe('the cleanup pass over all targets', () => {
  it('goes on past a target it cannot reach and says so', async () => {
    const { db } = harness.instance;
    await createTarget(db, harness.instanceKey, { kind: 'local', name: 'unplugged', path: '/nonexistent/usb-disk' });
    const failed = await catalogRow('local', 'failed');
    const logs: { message: string; level?: string }[] = [];
    await cleanUpAllTargets(db, harness.instanceKey, { log: (message, level) => void logs.push({ message, level }) });
    expect(logs).toContainEqual({
      message:
        'Cleanup of target "unplugged" did not finish: The backup directory /nonexistent/usb-disk does not exist. Create it, or choose another. It is tried again later.',
      level: 'warn',
    });
    expect((await db.backup.findUniqueOrThrow({ where: { id: failed } })).cleanedAt).toBeInstanceOf(Date);
  }, 120_000);
});
