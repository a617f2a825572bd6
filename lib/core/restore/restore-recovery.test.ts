import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob } from '@/lib/core/jobs/enqueue-job';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { snapshotTree } from '@/test/helpers/tree';
import { waitFor } from '@/test/helpers/wait-for';
import { recoverInterruptedRestores } from './recover-restores';
import { journalDir } from './restore-journal';
import { runRestore } from './run-restore';

// A process killed mid-restore leaves its files as they are at that moment. These tests freeze
// a restore at a chosen step (its promise never settles, as if the process had died there),
// fail its job as the worker's recovery would, and run the restore recovery.
let harness: BackupHarness;
let targetDir: string;
let backupId: string;
let backedUp: ReturnType<typeof snapshotAll>;

function snapshotAll() {
  return {
    photos: snapshotTree(path.join(harness.apps.appsDir, 'photos')),
    notes: snapshotTree(path.join(harness.apps.appsDir, 'notes')),
    namedVolume: snapshotTree(harness.apps.namedVolumeDir),
  };
}

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

function changeLiveData(): void {
  const photos = path.join(harness.apps.appsDir, 'photos');
  writeFileSync(path.join(photos, 'config.yml'), `thumbnails: ${Math.random()}\n`);
  writeFileSync(path.join(photos, 'library', `new-${Math.random()}.jpg`), 'new');
  writeFileSync(path.join(harness.apps.namedVolumeDir, 'PG_VERSION'), `${Math.random()}\n`);
  writeFileSync(path.join(harness.apps.appsDir, 'notes', 'data', 'pages', '00', 'page-0.md'), `${Math.random()}`);
}

/** Starts a restore that freezes for good before `step` of `app`; resolves once it got there. */
async function restoreFrozenAt(app: string, step: string): Promise<string> {
  const job = await enqueueJob(harness.instance.db, 'restore', { backupId }, { createdBy: 'test' });
  let frozen = false;
  void runRestore(
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
      hooks: {
        beforeStep: (appId, name) => {
          if (appId !== app || name !== step) return;
          frozen = true;
          return new Promise<void>(() => {});
        },
      },
    },
  );
  await waitFor(() => frozen, `the restore to reach ${app} ${step}`, 30_000);
  await harness.instance.db.job.update({ where: { id: job.id }, data: { status: 'failed', errorCode: 'interrupted' } });
  return job.id;
}

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 2 * 1024 * 1024, smallFiles: 200 });
  targetDir = mkdtempSync(path.join(tmpdir(), 'cloudos-recovery-target-'));
  await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'local', path: targetDir });
  backupId = (await harness.backup({ target: 'local', scope: 'full' })).backupId;
  backedUp = snapshotAll();
}, 120_000);
afterAll(async () => {
  await harness?.cleanup();
  if (targetDir) rmSync(targetDir, { recursive: true, force: true });
});
beforeEach(() => harness.docker.clearCalls());

describe('a restore interrupted half-way through its second app', () => {
  it('keeps the app that was restored, rolls back the other and starts its containers', async () => {
    changeLiveData();
    const before = snapshotAll();
    // notes is swapped completely; photos has its library and config.yml swapped, not db-data.
    const jobId = await restoreFrozenAt('photos', 'volume db-data');
    expect(snapshotAll().notes).toEqual(backedUp.notes);
    expect(snapshotAll().photos).not.toEqual(before.photos);
    expect(harness.docker.state().projects.photos?.containers.map((c) => c.State)).toEqual(['exited', 'exited', 'exited']);

    expect(await recoverInterruptedRestores(harness.instance.db, harness.instance.dir, harness.docker.bin)).toEqual([jobId]);
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
    expect(harness.docker.state().projects.photos?.containers.map((c) => c.State)).toEqual(['running', 'running', 'exited']);
    expect(leftovers()).toEqual([]);
    expect(readdirSync(journalDir(harness.instance.dir))).toEqual([]);
    expect(await harness.instance.db.appLock.count()).toBe(0);
    const logs = await harness.instance.db.jobLog.findMany({ where: { jobId } });
    const text = logs.map((l) => l.message).join('\n');
    expect(text).toContain('Recovery: notes had been restored completely');
    expect(text).toContain('Recovery: the restore of photos was interrupted half-way; rolled it back');
    // A second recovery finds nothing to do.
    expect(await recoverInterruptedRestores(harness.instance.db, harness.instance.dir, harness.docker.bin)).toEqual([]);
  }, 60_000);
});

describe('a restore interrupted before any app was touched', () => {
  it('removes the staging and changes nothing', async () => {
    changeLiveData();
    const before = snapshotAll();
    const jobId = await restoreFrozenAt('notes', 'stop');
    expect(leftovers().length).toBeGreaterThan(0);
    expect(await recoverInterruptedRestores(harness.instance.db, harness.instance.dir, harness.docker.bin)).toEqual([jobId]);
    expect(snapshotAll()).toEqual(before);
    expect(leftovers()).toEqual([]);
    expect(harness.docker.lifecycle()).toEqual([]);
    expect(existsSync(path.join(journalDir(harness.instance.dir), `${jobId}.json`))).toBe(false);
  }, 60_000);
});

describe('a restore that is still running', () => {
  it('is left alone by recovery', async () => {
    const job = await enqueueJob(harness.instance.db, 'restore', { backupId }, { createdBy: 'test' });
    const dir = journalDir(harness.instance.dir);
    const file = path.join(dir, `${job.id}.json`);
    writeFileSync(
      file,
      JSON.stringify({ format: 'cloudos-restore-journal', version: 1, jobId: job.id, backupId, staging: [], apps: [] }),
    );
    expect(await recoverInterruptedRestores(harness.instance.db, harness.instance.dir, harness.docker.bin)).toEqual([]);
    expect(existsSync(file)).toBe(true);
    rmSync(file);
  });
});

describe('a restore killed during its own rollback, before the journal said so', () => {
  it('recovery leaves old data that is back in place alone and removes restored data with nothing to go back to', async () => {
    const job = await enqueueJob(harness.instance.db, 'restore', { backupId }, { createdBy: 'test' });
    await harness.instance.db.job.update({ where: { id: job.id }, data: { status: 'failed' } });
    const live = path.join(harness.root, 'rolled-back-volume');
    const fresh = path.join(harness.root, 'fresh-volume');
    writeFileSync(live, 'old data, renamed back by the rollback');
    writeFileSync(fresh, 'restored where nothing was before: the rollback had not removed it yet');
    writeFileSync(
      path.join(journalDir(harness.instance.dir), `${job.id}.json`),
      JSON.stringify({
        format: 'cloudos-restore-journal',
        version: 1,
        jobId: job.id,
        backupId,
        staging: [],
        apps: [
          {
            id: 'photos',
            state: 'swapping',
            steps: [
              { kind: 'aside', live, aside: `${live}.before-restore-x` },
              { kind: 'in', live, staged: `${live}.staged-gone` },
              // A path with no old data: its restored copy is what rolling back removes.
              { kind: 'in', live: fresh, staged: `${fresh}.staged-gone` },
            ],
          },
        ],
      }),
    );
    expect(await recoverInterruptedRestores(harness.instance.db, harness.instance.dir, harness.docker.bin)).toEqual([job.id]);
    expect(readFileSync(live, 'utf8')).toBe('old data, renamed back by the rollback');
    expect(existsSync(fresh)).toBe(false);
    rmSync(live);
  });
});
