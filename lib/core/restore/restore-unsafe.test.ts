import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newArchiveId } from '@/lib/core/archive/format';
import { END_OF_ARCHIVE, encodeTarHeader, paddingFor, type TarEntry } from '@/lib/core/archive/tar-header';
import { type BackupContents, signManifest } from '@/lib/core/backup/manifest';
import { archiveKey, manifestKey } from '@/lib/core/backup/repository';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { loadBackupKeys } from '@/lib/core/keys/backup-keys';
import { createTarget } from '@/lib/core/targets/targets';
import { sealBytes } from '@/test/helpers/archive-bytes';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { snapshotTree } from '@/test/helpers/tree';
import { runRestore } from './run-restore';

// Archives our writer never makes, encrypted and signed with this instance's own keys (as a
// thief of the key, or a bug, could): the restore must refuse them and write nothing outside
// its staging, and change no live data.
let harness: BackupHarness;
let targetDir: string;
let targetId: string;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 1024 * 1024, smallFiles: 20 });
  targetDir = mkdtempSync(path.join(tmpdir(), 'cloudos-unsafe-target-'));
  targetId = (await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'local', path: targetDir })).id;
  // A real backup first, so the target is a repository with this instance's key file.
  await harness.backup({ target: 'local', scope: 'apps', apps: ['notes'] });
}, 120_000);
afterAll(async () => {
  await harness?.cleanup();
  if (targetDir) rmSync(targetDir, { recursive: true, force: true });
});

const base = { mode: 0o644, uid: 0, gid: 0, size: 0, mtimeNs: 1_700_000_000_000_000_000n };
function entry(partial: Partial<TarEntry> & { path: string; type: TarEntry['type'] }, data = ''): Buffer {
  const body = Buffer.from(data);
  return Buffer.concat([
    encodeTarHeader({ ...base, ...partial, size: body.length }),
    body,
    Buffer.alloc(paddingFor(body.length)),
  ]);
}

/** Stores a crafted archive as a finished backup of photos (catalog row, object, signed manifest). */
async function craftBackup(entries: Buffer[]): Promise<string> {
  const { masterKey, keyFile } = await loadBackupKeys(harness.instance.db, harness.instanceKey);
  const id = newArchiveId();
  const { stored } = await sealBytes(Buffer.concat([...entries, END_OF_ARCHIVE]), { masterKey, keyFile, archiveId: id });
  const sha256 = createHash('sha256').update(stored).digest('hex');
  const now = new Date().toISOString();
  const contents: BackupContents = {
    format: 'cloudos-backup-contents',
    version: 1,
    id,
    scope: 'apps',
    createdAt: now,
    apps: [
      {
        id: 'photos',
        consistency: 'stop',
        composeFiles: ['docker-compose.yml'],
        volumes: [{ name: 'library', kind: 'bind', source: './library', entryType: 'directory', files: 1, bytes: 1 }],
        skipped: [],
        files: 1,
        bytes: 1,
      },
    ],
    system: null,
    files: 1,
    bytes: 1,
  };
  const manifest = signManifest(masterKey, {
    format: 'cloudos-backup-manifest',
    version: 1,
    id,
    objectKey: archiveKey(id),
    keyId: keyFile.keyId,
    createdAt: now,
    finishedAt: now,
    scope: 'apps',
    apps: ['photos'],
    logicalBytes: 1,
    storedBytes: stored.length,
    fileCount: 1,
    sha256,
    contents,
  });
  writeFileSync(path.join(targetDir, archiveKey(id)), stored);
  writeFileSync(path.join(targetDir, manifestKey(id)), JSON.stringify(manifest));
  await harness.instance.db.backup.create({
    data: {
      id,
      targetId,
      scope: 'apps',
      apps: JSON.stringify(['photos']),
      status: 'succeeded',
      objectKey: archiveKey(id),
      storedBytes: BigInt(stored.length),
      logicalBytes: 1n,
      fileCount: 1,
      sha256,
      manifest: JSON.stringify(contents),
      finishedAt: new Date(),
    },
  });
  return id;
}

async function restore(backupId: string) {
  const job = await enqueueJob(harness.instance.db, 'restore', { backupId }, { createdBy: 'test' });
  return runRestore(
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
}

describe('a crafted archive', () => {
  const compose = () => [
    entry({ path: 'apps/photos/compose', type: 'directory', mode: 0o755 }),
    entry({ path: 'apps/photos/compose/docker-compose.yml', type: 'file' }, 'services: {}\n'),
    entry({ path: 'apps/photos/volumes/library', type: 'directory', mode: 0o755 }),
  ];
  const outside = () => path.join(harness.root, 'outside');

  it.each([
    [
      'a "../" name',
      () => [entry({ path: 'apps/photos/volumes/library/../../../../escape', type: 'file' }, 'x')],
      /leaves the destination/,
    ],
    ['an absolute name', () => [entry({ path: `${outside()}/escape`, type: 'file' }, 'x')], /absolute path/],
    [
      'an entry written through a symlink',
      () => [
        entry({ path: 'apps/photos/volumes/library/link', type: 'symlink', linkTarget: outside() }),
        entry({ path: 'apps/photos/volumes/library/link/escape', type: 'file' }, 'x'),
      ],
      /through the symlink/,
    ],
    [
      'an entry of a volume its manifest does not list',
      () => [entry({ path: 'apps/photos/volumes/elsewhere/escape', type: 'file' }, 'x')],
      /which its manifest does not list/,
    ],
  ])(
    'with %s is refused; nothing is written outside staging and live data stays',
    async (_, crafted, message) => {
      mkdirSync(outside(), { recursive: true });
      const id = await craftBackup([...compose(), ...crafted()]);
      const photos = path.join(harness.apps.appsDir, 'photos');
      const before = snapshotTree(photos);
      harness.docker.clearCalls();
      await expect(restore(id)).rejects.toThrow(message);
      expect(readdirSync(outside())).toEqual([]);
      expect(existsSync(path.join(harness.root, 'escape'))).toBe(false);
      expect(snapshotTree(photos)).toEqual(before);
      expect(readdirSync(harness.apps.appsDir).filter((n) => n.startsWith('.restore-'))).toEqual([]);
      expect(harness.docker.lifecycle()).toEqual([]);
    },
    60_000,
  );
});
