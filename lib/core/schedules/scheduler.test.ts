import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import type { Db } from '../db/client';
import { enqueueJob } from '../jobs/enqueue-job';
import { createTarget } from '../targets/targets';
import { queueScheduleNow } from './run-schedule-now';
import { fireJobKey, KEPT_FIRE_RECORDS, tickScheduler } from './scheduler';
import { createSchedule, listScheduleRuns, setScheduleEnabled, updateSchedule } from './schedules';

let instance: TempInstance;
const instanceKey = randomBytes(32);
const UTC = 'UTC';

beforeEach(async () => {
  instance = createTempInstance();
  await createTarget(instance.db, instanceKey, { kind: 'local', name: 'Local', path: '/srv/a' });
});
afterEach(() => instance.cleanup());

const t = (iso: string) => new Date(iso);

async function addSchedule(name: string, cron: string, createdAt: string, extra: Record<string, unknown> = {}) {
  return createSchedule(instance.db, { name, cron, target: 'Local', scope: 'full', ...extra }, { now: t(createdAt) });
}

function tick(now: string, options: { graceMs?: number; timeZone?: string; db?: Db } = {}) {
  return tickScheduler(options.db ?? instance.db, { now: t(now), timeZone: options.timeZone ?? UTC, graceMs: options.graceMs });
}

async function runs(scheduleId?: string) {
  const rows = await instance.db.scheduleRun.findMany({ where: scheduleId ? { scheduleId } : {}, orderBy: { fireAt: 'asc' } });
  return rows.map((r) => [r.fireAt.toISOString(), r.status]);
}

async function backupJobs() {
  return instance.db.job.findMany({ where: { type: 'backup' }, orderBy: { createdAt: 'asc' } });
}

describe('tickScheduler', () => {
  it('enqueues one backup job at each fire time, with the schedule and a unique key', async () => {
    const schedule = await addSchedule('Hourly', 'hourly', '2026-11-27T10:05:00Z');
    expect((await tick('2026-11-27T10:59:59Z')).fires).toEqual([]);
    const { fires } = await tick('2026-11-27T11:00:02Z');
    expect(fires.map((f) => [f.fireAt.toISOString(), f.status])).toEqual([['2026-11-27T11:00:00.000Z', 'queued']]);
    await tick('2026-11-27T11:00:04Z');
    const jobs = await backupJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.uniqueKey).toBe(fireJobKey(schedule.id, t('2026-11-27T11:00:00Z')));
    expect(JSON.parse(jobs[0]?.payload ?? '')).toEqual({ target: 'Local', scope: 'full', apps: [], scheduleId: schedule.id });
    expect(jobs[0]?.id).toBe(fires[0]?.jobId);
    const row = await instance.db.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
    expect(row.lastFireAt).toEqual(t('2026-11-27T11:00:00Z'));
  });

  it('reads cron times in the instance time zone', async () => {
    await addSchedule('Nightly', 'daily', '2026-11-27T10:00:00Z');
    // 02:00 in Berlin in winter is 01:00 UTC.
    const { fires } = await tick('2026-11-28T01:00:30Z', { timeZone: 'Europe/Berlin' });
    expect(fires.map((f) => [f.fireAt.toISOString(), f.status])).toEqual([['2026-11-28T01:00:00.000Z', 'queued']]);
  });

  it('fires a Berlin 02:30 schedule once on each DST change day', async () => {
    const schedule = await addSchedule('Night', '30 2 * * *', '2026-03-28T12:00:00Z');
    const berlin = { timeZone: 'Europe/Berlin' };
    // Spring forward: 02:30 does not exist on 2026-03-29; it runs at 03:00 CEST (01:00 UTC).
    await tick('2026-03-29T00:59:00Z', berlin);
    await tick('2026-03-29T01:00:30Z', berlin);
    await instance.db.job.updateMany({ data: { status: 'succeeded' } });
    // Fall back: 02:30 happens twice on 2026-10-25 (00:30 and 01:30 UTC); it runs once.
    await updateSchedule(instance.db, 'Night', { enabled: false });
    await setScheduleEnabled(instance.db, 'Night', true, { now: t('2026-10-24T12:00:00Z') });
    for (const now of ['2026-10-25T00:30:30Z', '2026-10-25T01:00:00Z', '2026-10-25T01:30:30Z', '2026-10-25T02:30:00Z'])
      await tick(now, berlin);
    expect(await runs(schedule.id)).toEqual([
      ['2026-03-29T01:00:00.000Z', 'queued'],
      ['2026-10-25T00:30:00.000Z', 'queued'],
    ]);
  });

  it('after downtime runs the latest fire within the grace window once and records the others as missed', async () => {
    const schedule = await addSchedule('Nightly', 'daily', '2026-11-20T12:00:00Z');
    await tick('2026-11-23T02:30:00Z');
    expect(await runs(schedule.id)).toEqual([
      ['2026-11-21T02:00:00.000Z', 'missed'],
      ['2026-11-22T02:00:00.000Z', 'missed'],
      ['2026-11-23T02:00:00.000Z', 'queued'],
    ]);
    expect(await backupJobs()).toHaveLength(1);
  });

  it('records a fire older than the grace window as missed and runs nothing', async () => {
    const schedule = await addSchedule('Nightly', 'daily', '2026-11-20T12:00:00Z');
    await tick('2026-11-21T03:00:01Z');
    expect(await runs(schedule.id)).toEqual([['2026-11-21T02:00:00.000Z', 'missed']]);
    expect(await backupJobs()).toHaveLength(0);
    const run = await instance.db.scheduleRun.findFirstOrThrow();
    expect(run.message).toMatch(/not running within 60 min/);
  });

  it('lists the recent fires with their reasons, and keeps a bounded history', async () => {
    const schedule = await addSchedule('Minutely', '* * * * *', '2026-11-27T10:00:00Z');
    const old = Array.from({ length: KEPT_FIRE_RECORDS + 5 }, (_, i) => ({
      scheduleId: schedule.id,
      fireAt: new Date(t('2026-11-20T00:00:00Z').getTime() + i * 60_000),
      status: 'missed',
    }));
    await instance.db.scheduleRun.createMany({ data: old });
    await tick('2026-11-27T10:03:30Z', { graceMs: 60_000 });
    expect(await instance.db.scheduleRun.count()).toBe(KEPT_FIRE_RECORDS);
    expect((await listScheduleRuns(instance.db, 'Minutely', 3)).map((r) => [r.fireAt, r.status, r.message])).toEqual([
      ['2026-11-27T10:03:00.000Z', 'queued', null],
      ['2026-11-27T10:02:00.000Z', 'missed', 'A later fire time came before this one ran.'],
      ['2026-11-27T10:01:00.000Z', 'missed', 'A later fire time came before this one ran.'],
    ]);
  });

  it('takes the grace window from its options', async () => {
    const schedule = await addSchedule('Nightly', 'daily', '2026-11-20T12:00:00Z');
    await tick('2026-11-21T03:00:01Z', { graceMs: 2 * 60 * 60 * 1000 });
    expect(await runs(schedule.id)).toEqual([['2026-11-21T02:00:00.000Z', 'queued']]);
  });

  it('skips a fire while the previous run is still queued or running', async () => {
    const schedule = await addSchedule('Hourly', 'hourly', '2026-11-27T10:05:00Z');
    const first = (await tick('2026-11-27T11:00:01Z')).fires[0];
    await tick('2026-11-27T12:00:01Z');
    await instance.db.job.update({ where: { id: first?.jobId as string }, data: { status: 'running' } });
    await tick('2026-11-27T13:00:01Z');
    await instance.db.job.update({ where: { id: first?.jobId as string }, data: { status: 'succeeded' } });
    await tick('2026-11-27T14:00:01Z');
    expect(await runs(schedule.id)).toEqual([
      ['2026-11-27T11:00:00.000Z', 'queued'],
      ['2026-11-27T12:00:00.000Z', 'skipped'],
      ['2026-11-27T13:00:00.000Z', 'skipped'],
      ['2026-11-27T14:00:00.000Z', 'queued'],
    ]);
    expect(await backupJobs()).toHaveLength(2);
  });

  it('a run started by hand counts as the previous run: fires skip, a second run-now is refused', async () => {
    const schedule = await addSchedule('Hourly', 'hourly', '2026-11-27T10:05:00Z');
    const job = await queueScheduleNow(instance.db, 'Hourly', { now: t('2026-11-27T10:30:00Z') });
    expect(JSON.parse((await instance.db.job.findUniqueOrThrow({ where: { id: job.id } })).payload)).toMatchObject({
      scheduleId: schedule.id,
    });
    await expect(queueScheduleNow(instance.db, 'Hourly', { now: t('2026-11-27T10:31:00Z') })).rejects.toThrow(
      /still queued or running/,
    );
    await tick('2026-11-27T11:00:01Z');
    expect(await runs(schedule.id)).toEqual([['2026-11-27T11:00:00.000Z', 'skipped']]);
    expect(await backupJobs()).toHaveLength(1);
  });

  it('never enqueues a fire twice with two schedulers on two connections', async () => {
    const hourly = await addSchedule('Hourly', 'hourly', '2026-11-27T08:30:00Z');
    const nightly = await addSchedule('Nightly', 'daily', '2026-11-25T12:00:00Z');
    const other = instance.openAnotherDb();
    for (const now of ['2026-11-27T09:00:01Z', '2026-11-27T10:00:01Z', '2026-11-27T11:00:01Z']) {
      // Each fire's job is finished before the next, so no fire is skipped for a running one.
      const results = await Promise.all([tick(now), tick(now, { db: other }), tick(now)]);
      expect(results.flatMap((r) => r.errors)).toEqual([]);
      // Between them they recorded each fire exactly once.
      expect(results.flatMap((r) => r.fires)).toHaveLength(now.startsWith('2026-11-27T09') ? 3 : 1);
      await instance.db.job.updateMany({ data: { status: 'succeeded' } });
    }
    expect(await runs(hourly.id)).toEqual([
      ['2026-11-27T09:00:00.000Z', 'queued'],
      ['2026-11-27T10:00:00.000Z', 'queued'],
      ['2026-11-27T11:00:00.000Z', 'queued'],
    ]);
    expect(await runs(nightly.id)).toEqual([
      ['2026-11-26T02:00:00.000Z', 'missed'],
      ['2026-11-27T02:00:00.000Z', 'missed'],
    ]);
    const keys = (await backupJobs()).map((j) => j.uniqueKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });

  it('after a crash between enqueueing and recording, records the fire with the job already there', async () => {
    const schedule = await addSchedule('Hourly', 'hourly', '2026-11-27T10:05:00Z');
    const key = fireJobKey(schedule.id, t('2026-11-27T11:00:00Z'));
    const job = await enqueueJob(
      instance.db,
      'backup',
      { target: 'Local', scope: 'full', scheduleId: schedule.id },
      { uniqueKey: key },
    );
    const { fires } = await tick('2026-11-27T11:00:05Z');
    expect(fires.map((f) => [f.status, f.jobId])).toEqual([['queued', job.id]]);
    expect(await backupJobs()).toHaveLength(1);
  });

  it('applies edits on the next tick', async () => {
    const schedule = await addSchedule('Backups', 'hourly', '2026-11-27T10:05:00Z');
    await tick('2026-11-27T11:00:01Z');
    await instance.db.job.updateMany({ data: { status: 'succeeded' } });
    await updateSchedule(instance.db, 'Backups', { cron: 'daily' }, { now: t('2026-11-27T11:30:00Z') });
    expect((await tick('2026-11-27T12:00:01Z')).fires).toEqual([]);
    await tick('2026-11-28T02:00:01Z');
    await instance.db.job.updateMany({ data: { status: 'succeeded' } });
    // Disabled: no fires, and none recorded as missed when it is enabled again.
    await setScheduleEnabled(instance.db, 'Backups', false);
    expect((await tick('2026-11-29T02:00:01Z')).fires).toEqual([]);
    await setScheduleEnabled(instance.db, 'Backups', true, { now: t('2026-11-30T12:00:00Z') });
    await updateSchedule(instance.db, 'Backups', { target: 'Local', scope: 'apps', apps: ['photos'] });
    await tick('2026-12-01T02:00:01Z');
    expect(await runs(schedule.id)).toEqual([
      ['2026-11-27T11:00:00.000Z', 'queued'],
      ['2026-11-28T02:00:00.000Z', 'queued'],
      ['2026-12-01T02:00:00.000Z', 'queued'],
    ]);
    const last = (await backupJobs()).at(-1);
    expect(JSON.parse(last?.payload ?? '')).toMatchObject({ scope: 'apps', apps: ['photos'] });
  });

  it('keeps going when one schedule cannot be read', async () => {
    const broken = await addSchedule('Broken', 'hourly', '2026-11-27T10:05:00Z');
    const fine = await addSchedule('Fine', 'hourly', '2026-11-27T10:05:00Z');
    await instance.db.schedule.update({ where: { id: broken.id }, data: { cron: 'not a cron' } });
    const result = await tick('2026-11-27T11:00:01Z');
    expect(result.errors.map((e) => e.scheduleId)).toEqual([broken.id]);
    expect(result.fires.map((f) => [f.scheduleId, f.status])).toEqual([[fine.id, 'queued']]);
  });
});
