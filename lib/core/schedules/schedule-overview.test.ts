import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { archiveKey } from '../backup/repository';
import { AppError } from '../errors';
import { previewScheduleRetention } from '../retention/retention-preview';
import { createTarget } from '../targets/targets';
import { queueScheduleNow } from './run-schedule-now';
import { listScheduleOverviews, previewCron, scheduleHistory } from './schedule-overview';
import { tickScheduler } from './scheduler';
import { createSchedule, setScheduleEnabled } from './schedules';

let instance: TempInstance;
const instanceKey = randomBytes(32);
const t = (iso: string) => new Date(iso);

beforeEach(async () => {
  instance = createTempInstance();
  await createTarget(instance.db, instanceKey, { kind: 'local', name: 'Local', path: '/srv/a', keepLast: 3 });
});
afterEach(() => instance.cleanup());

describe('previewCron: what the schedule form shows while typing', () => {
  it('expands a preset, describes it and lists the next five runs in the instance zone', () => {
    const preview = previewCron('daily', 'Europe/Berlin', t('2026-11-27T12:00:00Z'));
    expect(preview).toMatchObject({ cron: '0 2 * * *', description: 'Every day at 02:00', preset: 'daily' });
    expect(preview.nextRuns.map((d) => d.toISOString())).toEqual([
      '2026-11-28T01:00:00.000Z',
      '2026-11-29T01:00:00.000Z',
      '2026-11-30T01:00:00.000Z',
      '2026-12-01T01:00:00.000Z',
      '2026-12-02T01:00:00.000Z',
    ]);
  });

  it('keeps wall-clock times across the spring-forward change', () => {
    // Berlin moves from CET (UTC+1) to CEST (UTC+2) on 2027-03-28.
    const runs = previewCron('30 3 * * *', 'Europe/Berlin', t('2027-03-26T12:00:00Z')).nextRuns.map((d) => d.toISOString());
    expect(runs.slice(0, 3)).toEqual(['2027-03-27T02:30:00.000Z', '2027-03-28T01:30:00.000Z', '2027-03-29T01:30:00.000Z']);
  });

  it.each([
    ['61 * * * *', /"61 \* \* \* \*" is not a valid cron expression: .*minute/],
    ['0 2 31 2 *', /never runs/],
    ['', /Enter a cron expression or choose a preset/],
    [42, /Enter a cron expression or choose a preset/],
  ])('refuses %j with the reason, as the field error', (expression, message) => {
    const run = () => previewCron(expression, 'UTC');
    expect(run).toThrow(AppError);
    expect(run).toThrow(message);
    try {
      run();
    } catch (error) {
      expect((error as AppError).fields?.cron).toBeTruthy();
    }
  });
});

describe('the schedules list and a schedule’s history', () => {
  it('shows next run, last outcome, and history with missed, skipped, queued and run-now entries', async () => {
    const { db } = instance;
    const schedule = await createSchedule(
      db,
      { name: 'Hourly', cron: 'hourly', target: 'Local', scope: 'full' },
      { now: t('2026-01-27T09:30:00Z') },
    );
    let [overview] = await listScheduleOverviews(db, 'UTC', t('2026-01-27T09:40:00Z'));
    expect(overview).toMatchObject({ name: 'Hourly', nextRun: '2026-01-27T10:00:00.000Z', last: null });

    // 10:00 and 11:00 pass while the worker is down; it comes back at 11:20 (grace 1 h): 10:00 missed, 11:00 runs.
    await tickScheduler(db, { now: t('2026-01-27T11:20:00Z'), timeZone: 'UTC' });
    // 12:00 comes while that job is still queued: skipped.
    await tickScheduler(db, { now: t('2026-01-27T12:00:05Z'), timeZone: 'UTC' });
    const queued = await db.job.findFirstOrThrow({ where: { type: 'backup' } });
    await db.job.update({ where: { id: queued.id }, data: { status: 'failed', errorMessage: 'The target is full.' } });
    const now = await queueScheduleNow(db, 'Hourly', { now: t('2026-01-27T12:10:00Z') });

    const history = await scheduleHistory(db, schedule.id);
    expect(history.map((h) => [h.kind, h.status, h.job?.id ?? null, h.message ?? h.job?.errorMessage ?? null])).toEqual([
      ['run-now', 'queued', now.id, null],
      ['fire', 'skipped', null, 'The previous run of this schedule was still going.'],
      ['fire', 'failed', queued.id, 'The target is full.'],
      ['fire', 'missed', null, 'A later fire time came before this one ran.'],
    ]);
    // Fires are at their fire time (an injected clock in the past); a run now at the real time of its job.
    expect(history[1]?.at).toBe('2026-01-27T12:00:00.000Z');

    await setScheduleEnabled(db, 'Hourly', false);
    [overview] = await listScheduleOverviews(db, 'UTC', t('2026-01-27T12:20:00Z'));
    expect(overview).toMatchObject({ enabled: false, nextRun: null, last: { kind: 'run-now', status: 'queued' } });
  });
});

describe('previewScheduleRetention', () => {
  it('says what is kept now and why, and what the next backup would push out', async () => {
    const { db } = instance;
    const schedule = await createSchedule(db, { name: 'Nightly', cron: 'daily', target: 'Local', scope: 'full', keepLast: 2 });
    const target = await db.target.findUniqueOrThrow({ where: { name: 'Local' } });
    const add = async (iso: string, scheduleId: string | null) => {
      const id = randomBytes(16).toString('hex');
      await db.backup.create({
        data: {
          id,
          targetId: target.id,
          scheduleId,
          scope: 'full',
          apps: '[]',
          status: 'succeeded',
          objectKey: archiveKey(id),
          startedAt: t(iso),
        },
      });
      return id;
    };
    const older = await add('2026-11-25T01:00:00Z', schedule.id);
    const newer = await add('2026-11-26T01:00:00Z', schedule.id);
    const manual = await add('2026-11-26T12:00:00Z', null);
    const row = await db.schedule.findUniqueOrThrow({ where: { id: schedule.id } });
    const preview = await previewScheduleRetention(db, row, { timeZone: 'UTC', nextRunAt: t('2026-11-27T01:00:00Z') });
    expect(preview.targetRules).toEqual([{ name: 'Local', keepLast: 3 }]);
    expect(
      preview.rows.map((r) => [r.backup.id, r.targetName, r.now.action, r.now.reasons.map((x) => x.rule), r.afterNextRun]),
    ).toEqual([
      [newer, 'Local', 'keep', ['newest', 'last', 'target-last'], 'keep'],
      // After the next backup, the schedule keeps its 2 newest and the target its 3 newest
      // (next, manual, newer): the older one goes.
      [older, 'Local', 'keep', ['last', 'target-last'], 'delete'],
    ]);
    expect(preview.rows.some((r) => r.backup.id === manual)).toBe(false);
  });
});
