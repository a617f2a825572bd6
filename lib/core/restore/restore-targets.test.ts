import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createRealTargets } from '@/test/helpers/real-targets';
import { snapshotTree } from '@/test/helpers/tree';
import { runRestore } from './run-restore';
import { verifyBackup } from './verify-backup';

// The same round trip as restore.test.ts, against the real S3 (radosgw) and SFTP (sshd)
// servers of scripts/services: the object is streamed from the target, never copied first.
let harness: BackupHarness;
const cleanups: (() => void)[] = [];

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 3 * 1024 * 1024, smallFiles: 200 });
  const targets = await createRealTargets(harness.instance.db, harness.instanceKey, ['s3', 'sftp']);
  cleanups.push(targets.cleanup);
}, 180_000);
afterAll(async () => {
  await harness?.cleanup();
  for (const cleanup of cleanups) cleanup();
});

const snapshotAll = () => ({
  photos: snapshotTree(path.join(harness.apps.appsDir, 'photos')),
  notes: snapshotTree(path.join(harness.apps.appsDir, 'notes')),
  namedVolume: snapshotTree(harness.apps.namedVolumeDir),
});

describe.each(['s3', 'sftp'])('a round trip through %s', (targetName) => {
  it('restores the backed-up trees exactly, after verifying the stored object', async () => {
    const { backupId } = await harness.backup({ target: targetName, scope: 'full' });
    const backedUp = snapshotAll();
    expect((await verifyBackup(harness.instance.db, harness.instanceKey, backupId)).result).toBe('ok');
    const photos = path.join(harness.apps.appsDir, 'photos');
    writeFileSync(path.join(photos, 'library', 'new.jpg'), 'new');
    rmSync(path.join(photos, 'library', '2024'), { recursive: true });
    writeFileSync(path.join(harness.apps.namedVolumeDir, 'PG_VERSION'), '17\n');
    writeFileSync(path.join(harness.apps.appsDir, 'notes', 'data', 'notes.sqlite'), 'not a database any more');
    expect(snapshotAll()).not.toEqual(backedUp);
    const job = await enqueueJob(harness.instance.db, 'restore', { backupId }, { createdBy: 'test' });
    const result = await runRestore(
      { backupId, system: false },
      {
        db: harness.instance.db,
        instanceKey: harness.instanceKey,
        env: {
          appsDir: harness.apps.appsDir,
          dataDir: harness.instance.dir,
          databasePath: harness.instance.databasePath,
          dockerBin: harness.docker.bin,
        },
        jobId: job.id,
        log: async () => {},
        reportProgress: () => {},
      },
    );
    expect(result).toMatchObject({ restored: ['notes', 'photos'], rolledBack: [] });
    expect(snapshotAll()).toEqual(backedUp);
  }, 120_000);
});
