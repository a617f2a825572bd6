import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/core/errors';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { snapshotTree } from '@/test/helpers/tree';
import type { RestoreRequest } from './restore-request';
import { type RestoreContext, runRestore } from './run-restore';
import { verifyBackup } from './verify-backup';

let harness: BackupHarness;
let targetDir: string;
let fullId: string;
let photosId: string;
let backedUp: ReturnType<typeof snapshotAll>;

function snapshotAll() {
  return {
    photos: snapshotTree(path.join(harness.apps.appsDir, 'photos')),
    notes: snapshotTree(path.join(harness.apps.appsDir, 'notes')),
    namedVolume: snapshotTree(harness.apps.namedVolumeDir),
  };
}

const objectFile = (id: string) => path.join(targetDir, 'archives', `${id}.cob`);

/** Every staging or moved-aside path left anywhere below the test's root. */
function leftovers(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.includes('.restore-') || entry.name.includes('.before-restore-')) found.push(path.join(dir, entry.name));
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
    }
  };
  walk(harness.root);
  return found;
}

/** Changes, deletes and adds files in both apps and the named volume (again: no harm). */
function changeLiveData(): void {
  const photos = path.join(harness.apps.appsDir, 'photos');
  writeFileSync(path.join(photos, 'config.yml'), 'thumbnails: false\n');
  appendFileSync(path.join(photos, '.env'), 'EXTRA=1\n');
  rmSync(path.join(photos, 'library', 'favourite.jpg'), { force: true });
  rmSync(path.join(photos, 'library', 'empty-album'), { recursive: true, force: true });
  writeFileSync(path.join(photos, 'library', '2024', 'big-video.mp4'), 'replaced');
  writeFileSync(path.join(photos, 'library', 'new-photo.jpg'), 'new');
  writeFileSync(path.join(harness.apps.namedVolumeDir, 'PG_VERSION'), '17\n');
  writeFileSync(path.join(harness.apps.namedVolumeDir, 'postmaster.pid'), '42\n');
  const notes = path.join(harness.apps.appsDir, 'notes');
  rmSync(path.join(notes, 'data', 'pages', '07'), { recursive: true, force: true });
  writeFileSync(path.join(notes, 'data', 'pages', '00', 'page-0.md'), '# changed\n');
  writeFileSync(path.join(notes, 'compose.yaml'), 'name: notes\nservices: {}\n');
}

async function restore(request: Omit<RestoreRequest, 'system'> & { system?: boolean }, extra: Partial<RestoreContext> = {}) {
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
    ...extra,
  });
}

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 3 * 1024 * 1024, smallFiles: 300 });
  targetDir = mkdtempSync(path.join(tmpdir(), 'cloudos-restore-target-'));
  await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'local', path: targetDir });
  photosId = (await harness.backup({ target: 'local', scope: 'apps', apps: ['photos'] })).backupId;
  fullId = (await harness.backup({ target: 'local', scope: 'full' })).backupId;
  backedUp = snapshotAll();
}, 120_000);
afterAll(async () => {
  await harness?.cleanup();
  if (targetDir) rmSync(targetDir, { recursive: true, force: true });
});
beforeEach(() => {
  harness.docker.clearCalls();
  harness.logs.length = 0;
});

describe('restoring a full backup', () => {
  it('brings back every app exactly as backed up: content, modes, mtimes, symlinks, empty dirs', async () => {
    changeLiveData();
    expect(snapshotAll()).not.toEqual(backedUp);
    const result = await restore({ backupId: fullId });
    expect(result).toEqual({ backupId: fullId, restored: ['notes', 'photos'], rolledBack: [], system: false });
    expect(snapshotAll()).toEqual(backedUp);
    expect(leftovers()).toEqual([]);
    expect(await harness.instance.db.appLock.count()).toBe(0);
  }, 60_000);

  it('stops each app before its swap and starts what was running after it, app by app', async () => {
    await restore({ backupId: fullId });
    expect(harness.docker.lifecycle()).toEqual([
      'stop notes app',
      'start notes app',
      'stop photos web db',
      'start photos web db',
    ]);
    expect(harness.docker.calls().filter((c) => c.unexpected)).toEqual([]);
    expect(harness.docker.state().projects.photos?.containers.map((c) => c.State)).toEqual(['running', 'running', 'exited']);
  }, 60_000);

  it('restores one app of a full backup and leaves the others untouched', async () => {
    changeLiveData();
    const before = snapshotAll();
    const result = await restore({ backupId: fullId, apps: ['notes'] });
    expect(result.restored).toEqual(['notes']);
    const after = snapshotAll();
    expect(after.notes).toEqual(backedUp.notes);
    expect(after.photos).toEqual(before.photos);
    expect(after.namedVolume).toEqual(before.namedVolume);
    expect(harness.docker.lifecycle()).toEqual(['stop notes app', 'start notes app']);
    expect(leftovers()).toEqual([]);
    await restore({ backupId: photosId });
    expect(snapshotAll()).toEqual(backedUp);
  }, 60_000);

  it('rolls back an app whose swap fails, restores the others and says which is which', async () => {
    changeLiveData();
    const before = snapshotAll();
    const result = await restore(
      { backupId: fullId },
      {
        hooks: {
          beforeStep: (app, step) => {
            if (app === 'photos' && step === 'compose') throw new Error('disk on fire');
          },
        },
      },
    );
    expect(result.restored).toEqual(['notes']);
    expect(result.rolledBack).toEqual([{ app: 'photos', reason: 'disk on fire' }]);
    const after = snapshotAll();
    expect(after.notes).toEqual(backedUp.notes);
    expect(after.photos).toEqual(before.photos);
    expect(after.namedVolume).toEqual(before.namedVolume);
    expect(harness.docker.lifecycle()).toEqual([
      'stop notes app',
      'start notes app',
      'stop photos web db',
      'start photos web db',
    ]);
    expect(leftovers()).toEqual([]);
  }, 60_000);

  it('rolls back an app whose containers do not start with the restored data', async () => {
    const before = snapshotAll();
    harness.docker.setState({ ...harness.docker.state(), fail: ['start photos'] });
    try {
      const result = await restore({ backupId: photosId });
      expect(result.restored).toEqual([]);
      expect(result.rolledBack).toEqual([{ app: 'photos', reason: expect.stringContaining('cannot start photos') }]);
    } finally {
      harness.docker.setState({ ...harness.docker.state(), fail: [] });
    }
    expect(snapshotAll()).toEqual(before);
    // The start with the restored data, then the start with the old data (which fails too).
    expect(harness.docker.lifecycle()).toEqual(['stop photos web db', 'start photos web db', 'start photos web db']);
    expect(harness.logs.some((l) => l.level === 'error' && l.message.includes('Start it by hand'))).toBe(true);
    expect(leftovers()).toEqual([]);
    await restore({ backupId: fullId });
    expect(snapshotAll()).toEqual(backedUp);
  }, 60_000);
});

describe('a damaged or missing backup', () => {
  let original: Buffer;
  beforeAll(() => {
    original = readFileSync(objectFile(fullId));
  });
  beforeEach(() => writeFileSync(objectFile(fullId), original));
  afterAll(() => writeFileSync(objectFile(fullId), original));

  async function expectNothingChanged(run: () => Promise<unknown>, code: string, message: RegExp) {
    changeLiveData();
    const before = snapshotAll();
    await expect(run()).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(snapshotAll()).toEqual(before);
    expect(leftovers()).toEqual([]);
    expect(harness.docker.lifecycle()).toEqual([]);
    expect(await harness.instance.db.appLock.count()).toBe(0);
  }

  it('one flipped byte aborts the restore before any live data changes', async () => {
    for (const offset of [Math.floor(original.length / 2), original.length - 20]) {
      const damaged = Buffer.from(original);
      damaged[offset] = (damaged[offset] ?? 0) ^ 0x01;
      writeFileSync(objectFile(fullId), damaged);
      changeLiveData();
      const before = snapshotAll();
      await expect(restore({ backupId: fullId })).rejects.toMatchObject({
        code: 'corrupted',
        message: expect.stringContaining('checksum mismatch: the backup is corrupted; nothing was changed'),
      });
      expect(snapshotAll()).toEqual(before);
      expect(leftovers()).toEqual([]);
      expect(harness.docker.lifecycle()).toEqual([]);
    }
    const verified = await verifyBackup(harness.instance.db, harness.instanceKey, fullId);
    expect(verified).toMatchObject({ result: 'corrupted', message: expect.stringMatching(/^authentication failure: /) });
  }, 60_000);

  it('a truncated object aborts the restore', async () => {
    truncateSync(objectFile(fullId), original.length - 1000);
    await expectNothingChanged(() => restore({ backupId: fullId }), 'corrupted', /^checksum mismatch: .*truncated/);
    const verified = await verifyBackup(harness.instance.db, harness.instanceKey, fullId);
    expect(verified).toMatchObject({ result: 'corrupted', message: expect.stringMatching(/^truncated/) });
  }, 60_000);

  it('a missing object aborts the restore; verify says missing', async () => {
    renameSync(objectFile(fullId), `${objectFile(fullId)}.away`);
    try {
      await expectNothingChanged(() => restore({ backupId: fullId }), 'not_found', /is not on the target .*Nothing was changed/);
      const verified = await verifyBackup(harness.instance.db, harness.instanceKey, fullId);
      expect(verified).toMatchObject({ result: 'missing', message: expect.stringContaining(`archives/${fullId}.cob`) });
    } finally {
      renameSync(`${objectFile(fullId)}.away`, objectFile(fullId));
    }
  }, 60_000);

  it('a manifest changed on the target aborts the restore; verify says the manifest disagrees', async () => {
    const manifestFile = path.join(targetDir, 'manifests', `${fullId}.json`);
    const text = readFileSync(manifestFile, 'utf8');
    writeFileSync(manifestFile, text.replace('"scope": "full"', '"scope": "apps"'));
    try {
      await expectNothingChanged(() => restore({ backupId: fullId }), 'corrupted', /manifest disagrees/);
      expect(await verifyBackup(harness.instance.db, harness.instanceKey, fullId)).toMatchObject({
        result: 'corrupted',
        message: expect.stringContaining('manifest disagrees: its MAC does not verify'),
      });
    } finally {
      writeFileSync(manifestFile, text);
    }
  }, 60_000);
});

describe('verify', () => {
  it('reads the whole object and stores the outcome with the backup', async () => {
    const before = snapshotAll();
    const result = await verifyBackup(harness.instance.db, harness.instanceKey, fullId.slice(0, 10));
    expect(result).toMatchObject({ backupId: fullId, result: 'ok', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const row = await harness.instance.db.backup.findUniqueOrThrow({ where: { id: fullId } });
    expect(row.sha256).toBe(result.sha256);
    expect(row).toMatchObject({ verifyResult: 'ok', verifiedAt: expect.any(Date) });
    expect(harness.docker.calls()).toEqual([]);
    expect(snapshotAll()).toEqual(before);
  }, 60_000);
});

describe('progress', () => {
  it('names each step: downloading and verifying, checksum, stopping, swapping, starting', async () => {
    harness.docker.setState(harness.apps.dockerState); // photos running, whatever tests ran before
    const phases: string[] = [];
    await restore(
      { backupId: fullId, apps: ['photos'] },
      { reportProgress: (u) => u.phase && u.phase !== phases.at(-1) && phases.push(u.phase) },
    );
    expect(phases).toEqual([
      'Downloading, verifying and extracting',
      'Checksum verified',
      'Restoring photos',
      'Stopping photos',
      'Swapping photos',
      'Starting photos',
      'Finished',
    ]);
  }, 60_000);
});

describe('an app whose directory was deleted', () => {
  it('comes back whole: compose files and its bind-mounted data', async () => {
    await restore({ backupId: fullId }); // start from the backed-up state
    rmSync(path.join(harness.apps.appsDir, 'notes'), { recursive: true, force: true });
    const result = await restore({ backupId: fullId, apps: ['notes'] });
    expect(result).toMatchObject({ restored: ['notes'], rolledBack: [] });
    expect(snapshotAll().notes).toEqual(backedUp.notes);
    expect(leftovers()).toEqual([]);
  }, 60_000);
});

describe('a restore cancelled while it downloads', () => {
  it('removes its staging and leaves the live data as it was', async () => {
    changeLiveData();
    const before = snapshotAll();
    const controller = new AbortController();
    const run = restore(
      { backupId: fullId },
      {
        signal: controller.signal,
        reportProgress: (update) => {
          if ((update.bytesDone ?? 0) > 0) controller.abort(new AppError('cancelled', 'Cancelled by the user.'));
        },
      },
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(snapshotAll()).toEqual(before);
    expect(leftovers()).toEqual([]);
    expect(harness.docker.lifecycle()).toEqual([]);
    expect(await harness.instance.db.appLock.count()).toBe(0);
    const journals = path.join(harness.instance.dir, 'restore-journal');
    expect(existsSync(journals) ? readdirSync(journals) : []).toEqual([]);
  }, 60_000);
});

describe('bad requests', () => {
  it('are refused with a clear message and change nothing', async () => {
    changeLiveData();
    const before = snapshotAll();
    await expect(restore({ backupId: photosId, apps: ['notes'] })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('does not hold the app "notes" (it holds: photos)'),
    });
    await expect(restore({ backupId: photosId, system: true })).rejects.toThrow(/holds apps only/);
    await expect(restore({ backupId: fullId, system: true, apps: ['nope'] })).rejects.toThrow(/does not hold the app "nope"/);
    await expect(restore({ backupId: 'abcdef' })).rejects.toMatchObject({ code: 'not_found' });
    expect(snapshotAll()).toEqual(before);
    expect(leftovers()).toEqual([]);
    expect(existsSync(path.join(harness.apps.appsDir, 'photos', 'library', 'new-photo.jpg'))).toBe(true);
    expect(await harness.instance.db.appLock.count()).toBe(0);
  }, 60_000);
});
