import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBackup } from '@/lib/core/backup/catalog';
import { archiveKey, manifestKey } from '@/lib/core/backup/repository';
import type { StorageTarget } from '@/lib/core/storage/storage-target';
import { openTarget } from '@/lib/core/targets/targets';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createRealTargets } from '@/test/helpers/real-targets';
import { resultsOf, runVerificationJob } from '@/test/helpers/verification-job';
import { dryRunBase } from './dry-run-dir';

// Every check against real backups on every kind of target: the local file system, S3 on
// radosgw and SFTP on sshd. Damage is done through the target's own driver, as a disk error
// or a meddling hand on that storage would leave it.
let harness: BackupHarness;
const cleanups: (() => void)[] = [];
const ALL = ['integrity', 'size', 'dry-run', 'staleness'] as const;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 512 * 1024, smallFiles: 60 });
  const targets = await createRealTargets(harness.instance.db, harness.instanceKey);
  cleanups.push(targets.cleanup);
}, 180_000);
afterAll(async () => {
  await harness?.cleanup();
  for (const cleanup of cleanups) cleanup();
});

async function readAll(target: StorageTarget, key: string): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for await (const piece of await target.get(key)) pieces.push(Buffer.from(piece));
  return Buffer.concat(pieces);
}

async function* once(bytes: Buffer): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** No dry-run directory is left below the data dir's tmp. */
function dryRunLeftovers(): string[] {
  const base = dryRunBase(harness.instance.dir);
  return existsSync(base) ? readdirSync(base) : [];
}

describe.each(['local', 's3', 'sftp'])('verifying a backup on %s', (targetName) => {
  let backupId: string;
  let target: StorageTarget;
  let object: Buffer;
  let manifest: Buffer;

  beforeAll(async () => {
    backupId = (await harness.backup({ target: targetName, scope: 'full' })).backupId;
    target = await openTarget(harness.instance.db, harness.instanceKey, targetName);
    object = await readAll(target, archiveKey(backupId));
    manifest = await readAll(target, manifestKey(backupId));
  }, 120_000);
  afterAll(async () => {
    await target?.close();
  });

  /** Damages the stored backup, verifies, and puts the original bytes back. */
  async function verifyDamaged(damage: () => Promise<void>) {
    await damage();
    try {
      return await runVerificationJob(harness, backupId, { checks: [...ALL] });
    } finally {
      await target.put(archiveKey(backupId), once(object));
      await target.put(manifestKey(backupId), once(manifest));
    }
  }

  it('passes every check, the dry run included, and leaves no temporary directory', async () => {
    const run = await runVerificationJob(harness, backupId, { checks: [...ALL] });
    expect(run.status).toBe('succeeded');
    expect(run.verification).toMatchObject({
      state: 'passed',
      requestedChecks: ['size', 'integrity', 'dry-run', 'staleness'],
      dryRun: true,
      message: null,
      progress: null,
    });
    expect(run.verification.checks.map((c) => c.name)).toEqual(['size', 'integrity', 'dry-run', 'staleness']);
    expect(resultsOf(run.verification)).toEqual({ size: 'pass', integrity: 'pass', 'dry-run': 'pass', staleness: 'pass' });
    const dryRun = run.verification.checks.find((c) => c.name === 'dry-run');
    expect(dryRun?.message).toMatch(
      /^Restored \d+ files .* of 2 apps and the system part into a temporary directory: the tree matches the manifest, every app has its Compose file, 2 SQLite databases pass integrity_check\.$/,
    );
    for (const check of run.verification.checks) expect(check.durationMs).toBeGreaterThanOrEqual(0);
    expect(run.verification.startedAt).not.toBeNull();
    expect(run.verification.finishedAt).not.toBeNull();
    expect(run.phases).toContain('Reading, authenticating and restoring into a temporary directory');
    expect(dryRunLeftovers()).toEqual([]);
    expect((await getBackup(harness.instance.db, backupId)).verification).toMatchObject({ result: 'ok' });
  }, 120_000);

  it('fails integrity (and so the dry run) for one flipped byte; the size still matches', async () => {
    const run = await verifyDamaged(async () => {
      const damaged = Buffer.from(object);
      const at = Math.floor(damaged.length / 2);
      damaged[at] = (damaged[at] ?? 0) ^ 0x01;
      await target.put(archiveKey(backupId), once(damaged));
    });
    expect(run.status).toBe('succeeded');
    expect(run.verification.state).toBe('failed');
    expect(resultsOf(run.verification)).toEqual({ size: 'pass', integrity: 'fail', 'dry-run': 'fail', staleness: 'pass' });
    const messages = Object.fromEntries(run.verification.checks.map((c) => [c.name, c.message]));
    expect(messages.integrity).toMatch(/^corrupted: authentication failure/);
    expect(messages['dry-run']).toMatch(/^Not run: the stored object did not pass the integrity check/);
    expect(dryRunLeftovers()).toEqual([]);
    expect((await getBackup(harness.instance.db, backupId)).verification).toMatchObject({ result: 'corrupted' });
  }, 120_000);

  it('fails size and integrity for a truncated object', async () => {
    const run = await verifyDamaged(async () => {
      await target.put(archiveKey(backupId), once(object.subarray(0, object.length - 700)));
    });
    expect(resultsOf(run.verification)).toMatchObject({ size: 'fail', integrity: 'fail', 'dry-run': 'fail' });
    const messages = Object.fromEntries(run.verification.checks.map((c) => [c.name, c.message]));
    expect(messages.size).toBe(
      `truncated or extended: the target holds ${object.length - 700} bytes of ${archiveKey(backupId)}, the catalog recorded ${object.length}.`,
    );
    expect(messages.integrity).toMatch(/^corrupted: truncated or extended/);
    expect(dryRunLeftovers()).toEqual([]);
  }, 120_000);

  it('fails size and integrity for a missing object, and records the backup as missing', async () => {
    const run = await verifyDamaged(() => target.delete(archiveKey(backupId)));
    expect(run.verification.state).toBe('failed');
    expect(resultsOf(run.verification)).toMatchObject({ size: 'fail', integrity: 'fail', 'dry-run': 'fail' });
    const messages = Object.fromEntries(run.verification.checks.map((c) => [c.name, c.message]));
    expect(messages.size).toBe(`The stored object ${archiveKey(backupId)} is not on the target "${targetName}".`);
    expect(messages.integrity).toMatch(/^missing: /);
    expect((await getBackup(harness.instance.db, backupId)).verification).toMatchObject({ result: 'missing' });
    expect(dryRunLeftovers()).toEqual([]);
  }, 120_000);

  it('fails integrity for a manifest that disagrees with the catalog', async () => {
    const run = await verifyDamaged(async () => {
      const changed = JSON.parse(manifest.toString('utf8'));
      changed.fileCount += 1;
      await target.put(manifestKey(backupId), once(Buffer.from(JSON.stringify(changed))));
    });
    expect(resultsOf(run.verification)).toMatchObject({ size: 'pass', integrity: 'fail', 'dry-run': 'fail' });
    expect(run.verification.checks.find((c) => c.name === 'integrity')?.message).toMatch(
      /^corrupted: manifest disagrees: its MAC does not verify/,
    );
  }, 120_000);

  it('passes again once the original bytes are back', async () => {
    const run = await runVerificationJob(harness, backupId, { checks: ['integrity', 'size'] });
    expect(run.verification.state).toBe('passed');
    expect(run.verification.requestedChecks).toEqual(['size', 'integrity']);
    expect((await getBackup(harness.instance.db, backupId)).verification).toMatchObject({ result: 'ok' });
  }, 120_000);
});
