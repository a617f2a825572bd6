import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempInstance, type TempInstance } from '@/test/helpers/temp-instance';
import { AppError } from '../errors';
import { removeTarget } from '../targets/remove-target';
import { createTarget } from '../targets/targets';
import { nextRuns } from './cron';
import { describeCron } from './describe-cron';
import { createSchedule, findSchedule, listSchedules, removeSchedule, setScheduleEnabled, updateSchedule } from './schedules';

let instance: TempInstance;
const instanceKey = randomBytes(32);
const created = new Date('2026-11-27T10:00:00Z');

beforeEach(async () => {
  instance = createTempInstance();
  await createTarget(instance.db, instanceKey, { kind: 'local', name: 'Local', path: '/srv/a' });
  await createTarget(instance.db, instanceKey, { kind: 'local', name: 'USB', path: '/srv/b' });
});
afterEach(() => instance.cleanup());

const nightly = { name: 'Nightly', cron: 'daily', target: 'Local', scope: 'full', keepLast: 3, keepDaily: 7 };

async function expectRejected(run: () => Promise<unknown>, code: string, message: RegExp) {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

describe('creating schedules', () => {
  it('expands a preset and stores the policy', async () => {
    const view = await createSchedule(instance.db, nightly, { now: created });
    expect(view).toMatchObject({
      name: 'Nightly',
      cron: '0 2 * * *',
      description: 'Every day at 02:00',
      target: { name: 'Local' },
      scope: 'full',
      apps: [],
      keepLast: 3,
      keepDaily: 7,
      keepWeekly: null,
      enabled: true,
      lastFireAt: null,
    });
    const row = await instance.db.schedule.findUniqueOrThrow({ where: { name: 'Nightly' } });
    expect(row.checkedUntil).toEqual(created);
  });

  it.each([
    [{ ...nightly, cron: '61 * * * *' }, 'invalid_input', /not a valid cron expression: Invalid value for minute: 61/],
    [{ ...nightly, cron: '0 0 * * * *' }, 'invalid_input', /requires exactly 5 parts/],
    [{ ...nightly, cron: '0 2 31 2 *' }, 'invalid_input', /never runs/],
    [{ ...nightly, scope: 'apps' }, 'invalid_input', /at least one app/],
    [{ ...nightly, keepDaily: -1 }, 'invalid_input', /Keep daily must be a whole number/],
    [{ ...nightly, keepLast: 2.5 }, 'invalid_input', /Keep last must be a whole number/],
    [{ ...nightly, name: '' }, 'invalid_input', /The name must be/],
    [{ ...nightly, extra: true }, 'invalid_input', /extra/],
    [{ ...nightly, target: 'Nowhere' }, 'not_found', /no target named "Nowhere"/],
  ])('rejects %j and stores nothing', async (input, code, message) => {
    await expectRejected(() => createSchedule(instance.db, input), code, message);
    expect(await instance.db.schedule.count()).toBe(0);
  });

  it('refuses a second schedule with the same name', async () => {
    await createSchedule(instance.db, nightly);
    await expectRejected(() => createSchedule(instance.db, { ...nightly, target: 'USB' }), 'conflict', /already exists/);
    expect((await listSchedules(instance.db)).map((s) => s.target.name)).toEqual(['Local']);
  });

  it('keeps apps for an apps scope, without duplicates', async () => {
    const view = await createSchedule(instance.db, { ...nightly, scope: 'apps', apps: ['photos', 'notes', 'photos'] });
    expect(view.apps).toEqual(['photos', 'notes']);
  });
});

describe('editing schedules', () => {
  it('changes fields and restarts counting fire times only on a new cron', async () => {
    await createSchedule(instance.db, nightly, { now: created });
    const later = new Date('2026-11-28T09:00:00Z');
    await updateSchedule(instance.db, 'Nightly', { keepLast: null, target: 'USB' }, { now: later });
    let row = await findSchedule(instance.db, 'Nightly');
    expect([row.keepLast, row.target.name, row.checkedUntil]).toEqual([null, 'USB', created]);
    await updateSchedule(instance.db, 'Nightly', { cron: 'hourly', name: 'Hourly' }, { now: later });
    row = await findSchedule(instance.db, 'Hourly');
    expect([row.cron, row.checkedUntil]).toEqual(['0 * * * *', later]);
  });

  it('rejects a bad edit and changes nothing', async () => {
    await createSchedule(instance.db, nightly);
    await createSchedule(instance.db, { ...nightly, name: 'Weekly', cron: 'weekly' });
    const before = await findSchedule(instance.db, 'Nightly');
    await expectRejected(
      () => updateSchedule(instance.db, 'Nightly', { cron: 'every day' }),
      'invalid_input',
      /not a valid cron/,
    );
    await expectRejected(() => updateSchedule(instance.db, 'Nightly', { scope: 'apps' }), 'invalid_input', /at least one app/);
    await expectRejected(() => updateSchedule(instance.db, 'Nightly', { name: 'Weekly' }), 'conflict', /already exists/);
    await expectRejected(() => updateSchedule(instance.db, 'Nightly', { target: 'Nowhere' }), 'not_found', /Nowhere/);
    await expectRejected(() => updateSchedule(instance.db, 'Nobody', { keepLast: 1 }), 'not_found', /no schedule named/);
    expect(await findSchedule(instance.db, 'Nightly')).toEqual(before);
  });

  it('enabling a disabled schedule restarts counting from then; disabling does not', async () => {
    await createSchedule(instance.db, nightly, { now: created });
    await setScheduleEnabled(instance.db, 'Nightly', false, { now: new Date('2026-11-28T00:00:00Z') });
    expect((await findSchedule(instance.db, 'Nightly')).checkedUntil).toEqual(created);
    const enabledAt = new Date('2026-12-05T00:00:00Z');
    const view = await setScheduleEnabled(instance.db, 'Nightly', true, { now: enabledAt });
    expect(view.enabled).toBe(true);
    expect((await findSchedule(instance.db, 'Nightly')).checkedUntil).toEqual(enabledAt);
  });

  it('removes a schedule and its fire history, and then frees its target', async () => {
    const view = await createSchedule(instance.db, nightly);
    await instance.db.scheduleRun.create({ data: { scheduleId: view.id, fireAt: created, status: 'missed' } });
    await expectRejected(() => removeTarget(instance.db, 'Local'), 'conflict', /schedule "Nightly" back up to "Local"/);
    await removeSchedule(instance.db, 'Nightly');
    expect(await instance.db.scheduleRun.count()).toBe(0);
    await removeTarget(instance.db, 'Local');
    expect(await instance.db.target.count()).toBe(1);
  });
});

describe('next runs', () => {
  const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

  it('gives wall-clock times in the instance zone across spring forward', () => {
    // 02:30 does not exist in Berlin on 2026-03-29: croner runs it at 03:00 CEST (01:00 UTC).
    expect(iso(nextRuns('30 2 * * *', 3, 'Europe/Berlin', new Date('2026-03-27T12:00:00Z')))).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('runs a daily time once when fall back repeats it', () => {
    expect(iso(nextRuns('30 2 * * *', 3, 'Europe/Berlin', new Date('2026-10-23T12:00:00Z')))).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('gives the next five runs of the presets', () => {
    const from = new Date('2026-11-27T10:15:00Z');
    expect(iso(nextRuns('0 2 * * 0', 2, 'UTC', from))).toEqual(['2026-11-29T02:00:00.000Z', '2026-12-06T02:00:00.000Z']);
    expect(iso(nextRuns('0 2 1 * *', 2, 'UTC', from))).toEqual(['2026-12-01T02:00:00.000Z', '2027-01-01T02:00:00.000Z']);
    expect(nextRuns('0 * * * *', 5, 'UTC', from)).toHaveLength(5);
  });
});

describe('describeCron', () => {
  it.each([
    ['0 * * * *', 'Every hour, on the hour'],
    ['15 * * * *', 'Every hour at minute 15'],
    ['*/10 * * * *', 'Every 10 minutes'],
    ['* * * * *', 'Every minute'],
    ['0 2 * * *', 'Every day at 02:00'],
    ['30 */6 * * *', 'Every 6 hours at minute 30'],
    ['0 2 * * 0', 'Every Sunday at 02:00'],
    ['0 2 * * 7', 'Every Sunday at 02:00'],
    ['0 2 * * 1,3,5', 'Every Monday, Wednesday and Friday at 02:00'],
    ['45 23 * * 1-5', 'Every Monday to Friday at 23:45'],
    ['0 2 1 * *', 'Every month on the 1st at 02:00'],
    ['0 2 22 * *', 'Every month on the 22nd at 02:00'],
    ['0 2 13 * *', 'Every month on the 13th at 02:00'],
    ['@daily', 'Every day at 00:00'],
    ['0 2 1 1 *', 'Cron: 0 2 1 1 *'],
    ['0 2 1 * 1', 'Cron: 0 2 1 * 1'],
    ['5,35 * * * *', 'Cron: 5,35 * * * *'],
  ])('%s reads "%s"', (expression, text) => {
    expect(describeCron(expression)).toBe(text);
  });
});
