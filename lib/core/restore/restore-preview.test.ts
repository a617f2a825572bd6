import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackup } from '@/lib/core/backup/catalog';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { snapshotTree } from '@/test/helpers/tree';
import { previewRestore } from './restore-preview';

let harness: BackupHarness;
let targetDir: string;
let contents: NonNullable<Awaited<ReturnType<typeof getBackup>>['contents']>;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 20 });
  targetDir = mkdtempSync(path.join(tmpdir(), 'cloudos-preview-target-'));
  await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'local', path: targetDir });
  const { backupId } = await harness.backup({ target: 'local', scope: 'full' });
  const backup = await getBackup(harness.instance.db, backupId);
  if (!backup.contents) throw new Error('the backup has no contents');
  contents = backup.contents;
}, 60_000);
afterAll(async () => {
  await harness?.cleanup();
  if (targetDir) rmSync(targetDir, { recursive: true, force: true });
});

const env = () => ({ appsDir: harness.apps.appsDir, dockerBin: harness.docker.bin });

describe('previewRestore', () => {
  it('names the running services and the host paths each app restore would replace, and changes nothing', async () => {
    harness.docker.clearCalls();
    const snapshot = () => [snapshotTree(harness.apps.appsDir), snapshotTree(harness.apps.namedVolumeDir)];
    const before = snapshot();
    const preview = await previewRestore(contents, env());
    expect(snapshot()).toEqual(before);
    expect(harness.docker.lifecycle()).toEqual([]);

    const photos = preview.find((a) => a.id === 'photos');
    expect(photos?.problem).toBeNull();
    expect(photos?.present).toBe(true);
    // worker is exited in the fixture: only what runs is stopped and started again.
    expect(photos?.runningServices).toEqual(['web', 'db']);
    expect(photos?.volumes).toEqual(
      expect.arrayContaining([
        { name: 'library', hostPath: path.join(harness.apps.appsDir, 'photos', 'library') },
        { name: 'db-data', hostPath: harness.apps.namedVolumeDir },
      ]),
    );
    expect(photos?.composeFiles).toContain('docker-compose.yml');
    const notes = preview.find((a) => a.id === 'notes');
    expect(notes?.runningServices).toEqual(['app']);
    expect(notes?.volumes).toEqual([{ name: 'data', hostPath: path.join(harness.apps.appsDir, 'notes', 'data') }]);
  });

  it('describes a named volume the restore will create, creating nothing; without Docker it is that app’s problem only', async () => {
    const state = harness.docker.state();
    harness.docker.setState({ ...state, volumes: {} });
    rmSync(path.join(harness.apps.appsDir, 'photos', 'docker-compose.yml'));
    try {
      const preview = await previewRestore(contents, env());
      const photos = preview.find((a) => a.id === 'photos');
      expect(photos?.problem).toBeNull();
      expect(photos?.volumes).toContainEqual({
        name: 'db-data',
        hostPath: 'photos_db-data (a new Docker volume, created by the restore)',
      });
      expect(harness.docker.state().volumes).toEqual({});

      harness.docker.setState({ ...state, volumes: {}, daemonDown: true });
      const down = await previewRestore(contents, env());
      expect(down.find((a) => a.id === 'photos')?.problem).toMatch(
        /named volume "db-data" of photos does not exist on this host, and only a running Docker engine can create it/,
      );
      expect(down.find((a) => a.id === 'notes')?.problem).toBeNull();
    } finally {
      harness.docker.setState(state);
    }
  });
});
