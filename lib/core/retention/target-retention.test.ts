import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createRealTargets } from '@/test/helpers/real-targets';
import { archiveKey, manifestKey } from '../backup/repository';
import { cleanUpTarget } from '../cleanup/clean-up-target';
import { enqueueJob } from '../jobs/enqueue-job';
import { runBackupWithRetention } from '../schedules/run-scheduled-backup';
import { createSchedule } from '../schedules/schedules';
import type { StorageTarget } from '../storage/storage-target';
import { findTarget, getTargetView, openTarget } from '../targets/targets';
import { updateTarget } from '../targets/update-target';
import { planScheduleRetention } from './apply-retention';
import { deleteBackup } from './delete-backup';

// The local target's "keep last 2" across every backup on it, against a real directory.
let harness: BackupHarness;
let targets: { cleanup: () => void };
let target: StorageTarget;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 10 });
  targets = await createRealTargets(harness.instance.db, harness.instanceKey, ['local'], { keepLast: 2 });
  target = await openTarget(harness.instance.db, harness.instanceKey, 'local');
}, 60_000);
afterAll(async () => {
  await target?.close();
  await harness?.cleanup();
  targets?.cleanup();
});

async function backup(scheduleId?: string) {
  const request = { target: 'local', scope: 'apps' as const, apps: ['notes'], ...(scheduleId ? { scheduleId } : {}) };
  const job = await enqueueJob(harness.instance.db, 'backup', request);
  return runBackupWithRetention(request, { ...harness.contextFor(job.id), timeZone: 'UTC' });
}

async function stored(): Promise<string[]> {
  const ids: string[] = [];
  for await (const object of target.list('manifests/')) ids.push(object.key.slice('manifests/'.length, -'.json'.length));
  for await (const object of target.list('archives/'))
    expect(ids).toContain(object.key.slice('archives/'.length, -'.cob'.length)); // no object without its manifest
  return ids.sort();
}

async function catalog(): Promise<string[]> {
  return (await harness.instance.db.backup.findMany({ where: { status: 'succeeded' } })).map((b) => b.id).sort();
}

describe('a target’s "keep last" with and without schedules', () => {
  const made: string[] = [];

  it('keeps the last two backups by hand on the target and in the catalog', async () => {
    for (let run = 1; run <= 3; run += 1) made.push((await backup()).backupId);
    expect(await stored()).toEqual(made.slice(-2).sort());
    expect(await catalog()).toEqual(made.slice(-2).sort());
    expect(harness.logs.map((l) => l.message)).toContain(`Retention (target "local" keeps its last 2): keeping 2, deleting 1.`);
  }, 120_000);

  it('composes with a schedule’s policy: a backup goes only when no rule keeps it', async () => {
    const schedule = await createSchedule(harness.instance.db, {
      name: 'Thrice',
      cron: 'daily',
      target: 'local',
      scope: 'apps',
      apps: ['notes'],
      keepLast: 3,
    });
    const [, m2, m3] = made as [string, string, string];
    const s1 = (await backup(schedule.id)).backupId; // target's last 2: s1, m3 → m2 goes
    expect(await stored()).toEqual([m3, s1].sort());
    const s2 = (await backup(schedule.id)).backupId; // s2, s1 → m3 goes
    expect(await stored()).toEqual([s1, s2].sort());
    const s3 = (await backup(schedule.id)).backupId; // s1 is outside the target's 2 but the schedule keeps 3
    expect(await stored()).toEqual([s1, s2, s3].sort());
    expect(await catalog()).toEqual([s1, s2, s3].sort());
    expect(m2).not.toBe(m3);

    const { decisions } = await planScheduleRetention(harness.instance.db, await getSchedule(schedule.id), 'UTC');
    expect(decisions.map((d) => [d.id, d.reasons.map((r) => r.rule)])).toEqual([
      [s3, ['newest', 'last', 'target-newest', 'target-last']],
      [s2, ['last', 'target-last']],
      [s1, ['last']],
    ]);

    // A manual backup now: the target's last 2 are it and s3; s1 and s2 stay for the schedule.
    const m4 = (await backup()).backupId;
    expect(await stored()).toEqual([m4, s1, s2, s3].sort());
  }, 180_000);

  it('a smaller "keep last" on the target applies after the next backup', async () => {
    const { db } = harness.instance;
    const view = await getTargetView(db, (await findTarget(db, 'local')).id);
    await updateTarget(db, harness.instanceKey, 'local', { kind: 'local', name: 'local', path: view.config.path, keepLast: 1 });
    const m5 = (await backup()).backupId;
    // The schedule still keeps its last 3; only the older manual backup goes.
    const scheduled = (await harness.instance.db.backup.findMany({ where: { scheduleId: { not: null }, status: 'succeeded' } }))
      .map((b) => b.id)
      .sort();
    expect(await stored()).toEqual([m5, ...scheduled].sort());
  }, 120_000);

  it('never deletes a backup a verification uses, and a crash mid-deletion is finished by the cleanup pass', async () => {
    const { db } = harness.instance;
    const [oldest] = (await db.backup.findMany({ where: { status: 'succeeded' }, orderBy: { startedAt: 'asc' } })) as [
      Awaited<ReturnType<typeof db.backup.findFirstOrThrow>>,
    ];
    const now = new Date();
    const verify = await db.job.create({
      data: {
        id: randomUUID(),
        type: 'verify',
        payload: JSON.stringify({ backupId: oldest.id }),
        createdAt: now,
        updatedAt: now,
      },
    });
    expect(await deleteBackup(db, harness.instanceKey, oldest)).toBe('in-use');
    expect((await db.backup.findUniqueOrThrow({ where: { id: oldest.id } })).status).toBe('succeeded');
    await db.job.update({ where: { id: verify.id }, data: { status: 'succeeded' } });

    // The process died after marking the row and removing the manifest: the row says
    // "deleting" (no longer offered for a restore) and the object is still there.
    await db.backup.update({ where: { id: oldest.id }, data: { status: 'deleting' } });
    await target.delete(manifestKey(oldest.id));
    expect(await target.stat(archiveKey(oldest.id))).not.toBeNull();
    const logs: string[] = [];
    const outcome = await cleanUpTarget(db, harness.instanceKey, oldest.targetId, { log: (m) => void logs.push(m) });
    expect(outcome.deletionsFinished).toEqual([oldest.id]);
    expect(await target.stat(archiveKey(oldest.id))).toBeNull();
    expect(await db.backup.findUnique({ where: { id: oldest.id } })).toBeNull();
    expect(logs).toEqual([`Cleanup: finished deleting backup ${oldest.id}, which retention had started to delete.`]);
  }, 120_000);
});

async function getSchedule(id: string) {
  return harness.instance.db.schedule.findUniqueOrThrow({ where: { id } });
}
