import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BackupHarness, createBackupHarness } from '@/test/helpers/backup-harness';
import { createRealTargets, type RealTargetKind } from '@/test/helpers/real-targets';
import { archiveKey, manifestKey } from '../backup/repository';
import { claimNextJob } from '../jobs/claim-job';
import type { JobHandlers } from '../jobs/job-handler';
import { runClaimedJob } from '../jobs/run-job';
import type { StorageTarget } from '../storage/storage-target';
import { openTarget } from '../targets/targets';
import { runBackupWithRetention } from './run-scheduled-backup';
import { tickScheduler } from './scheduler';
import { createSchedule, listScheduleRuns } from './schedules';

// A schedule run by the scheduler (injected clock) and jobs run as the worker runs them,
// several times, against real S3 and SFTP targets: what is left on the target and in the
// catalog after each run.
let harness: BackupHarness;
let targets: { cleanup: () => void };

const unsupported = async () => {
  throw new Error('not used here');
};
let handlers: JobHandlers;

beforeAll(async () => {
  harness = await createBackupHarness({ bigFileBytes: 64 * 1024, smallFiles: 10 });
  targets = await createRealTargets(harness.instance.db, harness.instanceKey, ['s3', 'sftp']);
  handlers = {
    selftest: unsupported,
    restore: unsupported,
    verify: unsupported,
    backup: ({ jobId, payload, signal, log, reportProgress }) =>
      runBackupWithRetention(payload, { ...harness.contextFor(jobId), signal, log, reportProgress, timeZone: 'UTC' }),
  };
}, 300_000);
afterAll(async () => {
  await harness?.cleanup();
  targets?.cleanup();
});

async function runQueuedJobs(): Promise<string[]> {
  const statuses: string[] = [];
  for (;;) {
    const job = await claimNextJob(harness.instance.db, { workerId: 'test-worker' });
    if (!job) return statuses;
    statuses.push(await runClaimedJob(harness.instance.db, job, handlers, { workerId: 'test-worker' }));
  }
}

async function onTarget(target: StorageTarget): Promise<{ archives: string[]; manifests: string[]; partials: number }> {
  const list = async (prefix: string) => {
    const keys: string[] = [];
    for await (const object of target.list(prefix)) keys.push(object.key);
    return keys.sort();
  };
  let partials = 0;
  for await (const _ of target.listPartials('')) partials += 1;
  return { archives: await list('archives/'), manifests: await list('manifests/'), partials };
}

const expected = (ids: string[]) => ({
  archives: ids.map(archiveKey).sort(),
  manifests: ids.map(manifestKey).sort(),
  partials: 0,
});

describe.each<RealTargetKind>(['s3', 'sftp'])('a schedule fired several times to %s', (kind) => {
  it('keeps its last two backups on the target and in the catalog, run after run; missed and skipped fires run nothing', async () => {
    const { db } = harness.instance;
    const start = new Date('2030-01-07T10:00:00Z');
    const at = (minutes: number, seconds = 2) => new Date(start.getTime() + minutes * 60_000 + seconds * 1000);
    const schedule = await createSchedule(
      db,
      { name: `Every5-${kind}`, cron: '*/5 * * * *', target: kind, scope: 'apps', apps: ['notes'], keepLast: 2 },
      { now: start },
    );
    const target = await openTarget(db, harness.instanceKey, kind);
    const catalog = async () =>
      (await db.backup.findMany({ where: { scheduleId: schedule.id }, orderBy: { startedAt: 'asc' } })).map(
        (b) => `${b.id}:${b.status}`,
      );
    try {
      const made: string[] = [];
      for (let fire = 1; fire <= 4; fire += 1) {
        const { fires } = await tickScheduler(db, { now: at(5 * fire), timeZone: 'UTC' });
        expect(fires.map((f) => f.status)).toEqual(['queued']);
        expect(await runQueuedJobs()).toEqual(['succeeded']);
        const newest = await db.backup.findFirstOrThrow({ where: { scheduleId: schedule.id }, orderBy: { startedAt: 'desc' } });
        made.push(newest.id);
        const survivors = made.slice(-2);
        expect(await onTarget(target)).toEqual(expected(survivors));
        expect(await catalog()).toEqual(survivors.map((id) => `${id}:succeeded`));
      }

      // The worker was down for two hours, and the grace window is one minute: every fire in
      // between is missed, the latest (two minutes ago) too. Nothing runs, nothing is deleted.
      const late = await tickScheduler(db, { now: at(142), timeZone: 'UTC', graceMs: 60_000 });
      expect(new Set(late.fires.map((f) => f.status))).toEqual(new Set(['missed']));
      expect(await runQueuedJobs()).toEqual([]);
      expect(await onTarget(target)).toEqual(expected(made.slice(-2)));

      // A fire while the previous run is still queued is skipped; the queued one then runs.
      expect((await tickScheduler(db, { now: at(145), timeZone: 'UTC' })).fires.map((f) => f.status)).toEqual(['queued']);
      expect((await tickScheduler(db, { now: at(150), timeZone: 'UTC' })).fires.map((f) => f.status)).toEqual(['skipped']);
      expect(await runQueuedJobs()).toEqual(['succeeded']);
      const last = await db.backup.findFirstOrThrow({ where: { scheduleId: schedule.id }, orderBy: { startedAt: 'desc' } });
      expect(await onTarget(target)).toEqual(expected([made[3] as string, last.id]));

      const history = await listScheduleRuns(db, schedule.name, 100);
      expect(history.filter((r) => r.status === 'queued')).toHaveLength(5);
      expect(history.filter((r) => r.status === 'skipped')).toHaveLength(1);
      expect(history.filter((r) => r.status === 'missed').length).toBeGreaterThanOrEqual(20);
      expect(history[0]).toMatchObject({ status: 'skipped', message: 'The previous run of this schedule was still going.' });
    } finally {
      await target.close();
    }
  }, 300_000);
});
