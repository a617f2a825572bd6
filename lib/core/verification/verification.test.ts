import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackup } from '@/lib/core/backup/catalog';
import { cancelJob } from '@/lib/core/jobs/cancel-job';
import { createSchedule } from '@/lib/core/schedules/schedules';
import { createTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { resultsOf, runVerificationJob } from '@/test/helpers/verification-job';
import { dryRunBase, removeLeftoverDryRuns } from './dry-run-dir';
import { startVerification } from './start-verification';
import { getLatestVerification, listVerifications } from './verifications';

// The engine's behaviour beyond the per-target round trips of verification-targets.test.ts:
// broken data found by the dry run, cancel, the size trend, staleness on an injected clock,
// one active verification per backup.
let harness: BackupHarness;
let targetDir: string;
let fullId: string;
const HOUR = 60 * 60 * 1000;

const notesDb = () => path.join(harness.apps.appsDir, 'notes', 'data', 'notes.sqlite');
const dryRunLeftovers = () => {
  const base = dryRunBase(harness.instance.dir);
  return existsSync(base) ? readdirSync(base) : [];
};

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 2 * 1024 * 1024, smallFiles: 60 });
  targetDir = path.join(tmpdir(), `cloudos-verification-${randomBytes(4).toString('hex')}`);
  mkdirSync(targetDir);
  await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'local', path: targetDir });
  fullId = (await harness.backup({ target: 'local', scope: 'full' })).backupId;
}, 120_000);
afterAll(async () => {
  await harness?.cleanup();
  rmSync(targetDir, { recursive: true, force: true });
});

describe('the dry-run restore', () => {
  it('fails naming a SQLite database that does not pass integrity_check, and removes its directory', async () => {
    const original = readFileSync(notesDb());
    const fd = openSync(notesDb(), 'r+');
    writeSync(fd, Buffer.alloc(64, 0xab), 0, 64, 4096 * 2); // the header of a b-tree page
    closeSync(fd);
    let brokenId: string;
    try {
      brokenId = (await harness.backup({ target: 'local', scope: 'apps', apps: ['notes'] })).backupId;
    } finally {
      writeFileSync(notesDb(), original);
    }
    const run = await runVerificationJob(harness, brokenId, { dryRun: true });
    expect(run.status).toBe('succeeded');
    expect(run.verification.state).toBe('failed');
    expect(run.verification.requestedChecks).toEqual(['size', 'integrity', 'dry-run', 'staleness']);
    expect(resultsOf(run.verification)).toEqual({ size: 'pass', integrity: 'pass', 'dry-run': 'fail', staleness: 'pass' });
    const message = run.verification.checks.find((c) => c.name === 'dry-run')?.message;
    expect(message).toBe(
      'The SQLite database apps/notes/volumes/data/notes.sqlite fails PRAGMA integrity_check: database disk image is malformed',
    );
    expect(dryRunLeftovers()).toEqual([]);
    // The bytes are intact, what they hold is not: the backup is recorded as corrupted.
    expect((await getBackup(harness.instance.db, brokenId)).verification).toMatchObject({
      result: 'corrupted',
      message: `dry-run restore: ${message}`,
    });
  }, 120_000);

  it('is cancelled mid-read: the verification and its job end cancelled and the directory is gone', async () => {
    const shutdown = new AbortController();
    let sawDirectory = false;
    const run = await runVerificationJob(harness, fullId, {
      checks: ['dry-run'],
      shutdown,
      onProgress: (update) => {
        if (update.phase?.includes('temporary directory') && !shutdown.signal.aborted) {
          sawDirectory = dryRunLeftovers().length === 1;
          shutdown.abort();
        }
      },
    });
    expect(sawDirectory).toBe(true);
    expect(run.status).toBe('cancelled');
    expect(run.verification).toMatchObject({ state: 'cancelled', message: 'Cancelled.' });
    expect(run.verification.checks).toEqual([]);
    expect(dryRunLeftovers()).toEqual([]);
  }, 120_000);

  it('leaves nothing when it passes', async () => {
    const run = await runVerificationJob(harness, fullId, { checks: ['dry-run'] });
    expect(resultsOf(run.verification)).toEqual({ integrity: 'pass', 'dry-run': 'pass' });
    expect(dryRunLeftovers()).toEqual([]);
  }, 120_000);

  it('leftovers of a process that died are removed, those of a running verification kept', async () => {
    const { db } = harness.instance;
    const base = dryRunBase(harness.instance.dir);
    const ended = (await listVerifications(db, fullId))[0];
    if (!ended) throw new Error('no verification');
    mkdirSync(path.join(base, `verify-${ended.id}`, 'apps'), { recursive: true });
    mkdirSync(path.join(base, 'verify-unknown'), { recursive: true });
    const { verificationId, jobId } = await startVerification(db, fullId, { checks: ['size'] });
    mkdirSync(path.join(base, `verify-${verificationId}`));
    const removed = await removeLeftoverDryRuns(db, base);
    expect(removed.map((d) => path.basename(d)).sort()).toEqual([`verify-${ended.id}`, 'verify-unknown'].sort());
    expect(readdirSync(base)).toEqual([`verify-${verificationId}`]);
    await cancelJob(db, jobId);
    expect(await removeLeftoverDryRuns(db, base)).toEqual([path.join(base, `verify-${verificationId}`)]);
  });
});

describe('the size trend', () => {
  it('warns when an app lost 90 % or more of its data since its recent backups', async () => {
    const library = path.join(harness.apps.appsDir, 'photos', 'library', '2024');
    const video = path.join(library, 'big-video.mp4');
    const saved = readFileSync(video);
    const first = (await harness.backup({ target: 'local', scope: 'apps', apps: ['photos'] })).backupId;
    const steady = await runVerificationJob(harness, first, { checks: ['size'] });
    expect(steady.verification.checks[0]).toMatchObject({
      result: 'pass',
      message: expect.stringContaining('stored, as recorded'),
    });
    await harness.backup({ target: 'local', scope: 'apps', apps: ['photos'] });
    rmSync(video);
    rmSync(path.join(library, 'Été à Paris'), { recursive: true });
    let shrunkId: string;
    try {
      shrunkId = (await harness.backup({ target: 'local', scope: 'apps', apps: ['photos'] })).backupId;
    } finally {
      writeFileSync(video, saved);
    }
    const before = (await getBackup(harness.instance.db, shrunkId)).verification;
    const run = await runVerificationJob(harness, shrunkId, { checks: ['size'] });
    expect(run.verification.state).toBe('warned');
    const message = run.verification.checks[0]?.message ?? '';
    expect(message).toMatch(
      /% below the .* of the previous backups of the same apps: app data may have gone missing before this backup\./,
    );
    expect(message).toMatch(/photos: .*, 9\d % below its usual .*: app data may have gone missing before this backup\./);
    // A warning about the trend says nothing against the stored bytes.
    expect((await getBackup(harness.instance.db, shrunkId)).verification).toEqual(before);
  }, 120_000);
});

describe('the size check alone', () => {
  it('records a missing object on the backup, as integrity would', async () => {
    const object = path.join(targetDir, 'archives', `${fullId}.cob`);
    renameSync(object, `${object}.away`);
    try {
      const run = await runVerificationJob(harness, fullId, { checks: ['size'] });
      expect(run.verification).toMatchObject({ state: 'failed', requestedChecks: ['size'] });
      expect((await getBackup(harness.instance.db, fullId)).verification).toMatchObject({
        result: 'missing',
        message: `The stored object archives/${fullId}.cob is not on the target "local".`,
      });
    } finally {
      renameSync(`${object}.away`, object);
    }
    await runVerificationJob(harness, fullId, { checks: ['integrity'] });
    expect((await getBackup(harness.instance.db, fullId)).verification).toMatchObject({ result: 'ok' });
  }, 60_000);
});

describe('the staleness check', () => {
  it('passes while the backup set is recent and warns, naming what, once its threshold passed', async () => {
    const backup = await getBackup(harness.instance.db, fullId);
    const at = new Date(backup.finishedAt ?? backup.startedAt).getTime();
    const fresh = await runVerificationJob(harness, fullId, { checks: ['staleness'], now: () => new Date(at + HOUR) });
    expect(fresh.verification.checks[0]).toMatchObject({ name: 'staleness', result: 'pass' });
    const later = new Date(Date.now() + 49 * HOUR);
    const stale = await runVerificationJob(harness, fullId, { checks: ['staleness'], now: () => later });
    expect(stale.verification.state).toBe('warned');
    const message = stale.verification.checks[0]?.message ?? '';
    expect(message).toMatch(/The app "notes" was last backed up 49 h ago; more than 48 h is stale\./);
    expect(message).toMatch(/The target "local" was last backed up 49 h ago; more than 48 h is stale\./);
    // Only what concerns this backup: the default target holds no backups and has no schedule.
    expect(message).not.toContain('Local backups');
  }, 60_000);

  it("warns about the backup's schedule once twice its interval passed", async () => {
    const schedule = await createSchedule(harness.instance.db, {
      name: 'hourly-notes',
      cron: 'hourly',
      target: 'local',
      scope: 'apps',
      apps: ['notes'],
    });
    const { backupId } = await harness.backup({ target: 'local', scope: 'apps', apps: ['notes'], scheduleId: schedule.id });
    const inTime = await runVerificationJob(harness, backupId, {
      checks: ['staleness'],
      now: () => new Date(Date.now() + 90 * 60_000),
    });
    expect(inTime.verification.checks[0]).toMatchObject({
      result: 'pass',
      message:
        'The last successful backups of its apps (notes), its target "local" and its schedule are within their thresholds.',
    });
    const late = await runVerificationJob(harness, backupId, {
      checks: ['staleness'],
      now: () => new Date(Date.now() + 3 * HOUR),
    });
    // The hourly schedule is late after 2 h; notes and the target are covered by it, so they
    // follow the loosest schedule covering them: also 2 h.
    expect(late.verification.checks[0]?.message).toMatch(
      /^The schedule "hourly-notes" was last backed up 3 h ago; more than 2 h is stale\. The app "notes" was last backed up 3 h ago; more than 2 h is stale\./,
    );
    await harness.instance.db.schedule.delete({ where: { id: schedule.id } });
  }, 60_000);
});

describe('one verification per backup at a time', () => {
  it('refuses a second while one is queued, lets exactly one of two racing requests through, and allows a new one after cancel', async () => {
    const { db } = harness.instance;
    const first = await startVerification(db, fullId.slice(0, 10), { checks: ['size'], createdBy: 'admin' });
    await expect(startVerification(db, fullId)).rejects.toMatchObject({ code: 'already_verifying' });
    expect(await getLatestVerification(db, fullId)).toMatchObject({
      id: first.verificationId,
      jobId: first.jobId,
      state: 'queued',
      requestedChecks: ['size'],
      checks: [],
      createdBy: 'admin',
      startedAt: null,
      progress: { phase: null, percent: null, bytesDone: 0, bytesTotal: null },
    });
    await cancelJob(db, first.jobId);
    expect(await getLatestVerification(db, fullId)).toMatchObject({ state: 'cancelled', message: 'Cancelled.', progress: null });
    const raced = await Promise.allSettled([startVerification(db, fullId), startVerification(db, fullId)]);
    expect(raced.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(raced.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'already_verifying' } });
    const winner = raced.find((r) => r.status === 'fulfilled');
    if (winner?.status === 'fulfilled') await cancelJob(db, winner.value.jobId);
  });

  it('a verification whose worker died is settled as failed and no longer blocks', async () => {
    const { db } = harness.instance;
    const { jobId } = await startVerification(db, fullId, { checks: ['size'] });
    await db.job.update({
      where: { id: jobId },
      data: { status: 'failed', errorMessage: 'The worker stopped while the job ran.', finishedAt: new Date() },
    });
    expect(await getLatestVerification(db, fullId)).toMatchObject({
      state: 'failed',
      message: 'It stopped before finishing: The worker stopped while the job ran..',
    });
    const again = await startVerification(db, fullId, { checks: ['size'] });
    await cancelJob(db, again.jobId);
  });

  it('refuses unknown backups and checks, changing nothing', async () => {
    const { db } = harness.instance;
    const before = await db.verification.count();
    await expect(startVerification(db, 'ab'.repeat(16))).rejects.toMatchObject({ code: 'not_found' });
    await expect(getLatestVerification(db, 'ab'.repeat(16))).rejects.toMatchObject({ code: 'not_found' });
    await expect(startVerification(db, fullId, { checks: ['bogus' as 'size'] })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'Unknown check; the checks are size, integrity, dry-run, staleness.',
    });
    expect(await db.verification.count()).toBe(before);
    expect(await db.job.count({ where: { type: 'verify', status: 'queued' } })).toBe(0);
  });

  it('a backup never verified has no latest verification; removing a backup removes its verifications', async () => {
    const { db } = harness.instance;
    const { backupId } = await harness.backup({ target: 'local', scope: 'apps', apps: ['notes'] });
    expect(await getLatestVerification(db, backupId)).toBeNull();
    await runVerificationJob(harness, backupId, { checks: ['size'] });
    expect(await db.verification.count({ where: { backupId } })).toBe(1);
    await db.backup.delete({ where: { id: backupId } });
    expect(await db.verification.count({ where: { backupId } })).toBe(0);
    expect(await db.verificationCheck.count({ where: { verification: { backupId } } })).toBe(0);
  }, 60_000);
});
