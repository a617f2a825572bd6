import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { manifestKey } from '../backup/repository';
import { enqueueJob } from '../jobs/enqueue-job';
import { runBackupWithRetention } from '../schedules/run-scheduled-backup';
import { createSchedule, updateSchedule } from '../schedules/schedules';
import type { StorageTarget } from '../storage/storage-target';
import { createTarget, openTarget } from '../targets/targets';

// Against a real local target: what remains on the target and in the catalog after each run.
let harness: BackupHarness;
let target: StorageTarget;
let targetDir: string;
let scheduleId: string;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 20 });
  targetDir = mkdtempSync(path.join(tmpdir(), 'cloudos-retention-target-'));
  await createTarget(harness.instance.db, harness.instanceKey, { kind: 'local', name: 'local', path: targetDir });
  target = await openTarget(harness.instance.db, harness.instanceKey, 'local');
  scheduleId = (
    await createSchedule(harness.instance.db, {
      name: 'Nightly',
      cron: 'daily',
      target: 'local',
      scope: 'apps',
      apps: ['photos'],
      keepLast: 2,
    })
  ).id;
}, 60_000);
afterAll(async () => {
  await target?.close();
  await harness?.cleanup();
  rmSync(targetDir, { recursive: true, force: true });
});

async function scheduledBackup(apps = ['photos']) {
  const request = { target: 'local', scope: 'apps' as const, apps, scheduleId };
  const job = await enqueueJob(harness.instance.db, 'backup', request);
  return runBackupWithRetention(request, { ...harness.contextFor(job.id), timeZone: 'Europe/Berlin' });
}

async function keys(prefix: string): Promise<string[]> {
  const found: string[] = [];
  for await (const object of target.list(prefix)) found.push(object.key);
  return found.sort();
}

async function catalog(): Promise<string[]> {
  const rows = await harness.instance.db.backup.findMany({ where: { scheduleId }, orderBy: { startedAt: 'asc' } });
  return rows.map((r) => `${r.id}:${r.status}`);
}

const onTarget = (ids: string[]) => ({
  archives: ids.map((id) => `archives/${id}.cob`).sort(),
  manifests: ids.map((id) => manifestKey(id)).sort(),
});

describe('retention after scheduled backups', () => {
  const made: string[] = [];

  it('keeps the last two on the target and in the catalog, run after run', async () => {
    for (let run = 1; run <= 4; run += 1) {
      const result = await scheduledBackup();
      made.push(result.backupId);
      const survivors = made.slice(-2);
      expect({ archives: await keys('archives/'), manifests: await keys('manifests/') }).toEqual(onTarget(survivors));
      expect(await catalog()).toEqual(survivors.map((id) => `${id}:succeeded`));
      expect(result.retention?.deleted).toEqual(run <= 2 ? [] : [made[run - 3]]);
    }
    expect(harness.logs.some((l) => l.message.startsWith(`Deleted backup ${made[0]}`))).toBe(true);
  }, 120_000);

  it('never runs after a failed backup', async () => {
    await updateSchedule(harness.instance.db, 'Nightly', { keepLast: 1 });
    const failed = await scheduledBackup(['no-such-app']).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).toBeInstanceOf(Error);
    expect((await catalog()).filter((row) => row.endsWith(':succeeded'))).toEqual(made.slice(-2).map((id) => `${id}:succeeded`));
    expect((await keys('archives/')).length).toBe(2);
  }, 60_000);

  it('keeps a backup that a job uses, and finishes a deletion a crash interrupted', async () => {
    const [older, newer] = made.slice(-2) as [string, string];
    // A verification job (a type this branch does not have yet) names the older backup.
    const now = new Date();
    await harness.instance.db.job.create({
      data: { id: randomUUID(), type: 'verify', payload: JSON.stringify({ backupId: older }), createdAt: now, updatedAt: now },
    });
    const first = await scheduledBackup();
    expect(first.retention?.deleted).toEqual([newer]);
    expect(await keys('archives/')).toEqual(onTarget([older, first.backupId]).archives);

    // A crash after the manifest went: the catalog row and the object are left; the next run finishes.
    await harness.instance.db.job.updateMany({ where: { type: 'verify' }, data: { status: 'succeeded' } });
    await target.delete(manifestKey(older));
    const second = await scheduledBackup();
    expect(second.retention?.deleted.sort()).toEqual([older, first.backupId].sort());
    expect({ archives: await keys('archives/'), manifests: await keys('manifests/') }).toEqual(onTarget([second.backupId]));
    expect(await catalog()).toEqual([`${second.backupId}:succeeded`]);
  }, 60_000);

  it('only ever considers its own schedule: other backups on the target stay', async () => {
    const manual = await harness.backup({ target: 'local', scope: 'apps', apps: ['photos'] });
    await scheduledBackup();
    expect(await keys('archives/')).toContain(`archives/${manual.backupId}.cob`);
    expect((await harness.instance.db.backup.findUnique({ where: { id: manual.backupId } }))?.status).toBe('succeeded');
  }, 60_000);
});
