import { describe, expect, it } from 'vitest';
import { backupAt, history, hoursAgo, NOW, schedule, target } from '@/test/helpers/health-history';
import { DEFAULT_HEALTH_THRESHOLDS } from './health-settings';
import { computeStaleness, scheduleIntervalMs } from './staleness';

const options = { now: NOW, timeZone: 'UTC', thresholds: DEFAULT_HEALTH_THRESHOLDS };
const stale = (h: Parameters<typeof computeStaleness>[0], o = options) =>
  computeStaleness(h, o).map((w) => `${w.kind}:${w.name}`);

describe('schedule intervals', () => {
  it('is the longest gap between the next fire times', () => {
    expect(scheduleIntervalMs('0 2 * * *', 'UTC', NOW)).toBe(24 * 3_600_000);
    expect(scheduleIntervalMs('0 * * * *', 'UTC', NOW)).toBe(3_600_000);
    expect(scheduleIntervalMs('0 2 * * 1-5', 'UTC', NOW)).toBe(3 * 24 * 3_600_000); // over the weekend
    expect(scheduleIntervalMs('not cron', 'UTC', NOW)).toBeNull();
  });
});

describe('staleness', () => {
  it('a daily schedule, its apps and its target are fresh at 30 h and stale after twice its interval', () => {
    const at = (hours: number) => history({ schedules: [schedule()], backups: [backupAt(hours, { scheduleId: 's1' })] });
    expect(computeStaleness(at(30), options)).toEqual([]);
    const warnings = computeStaleness(at(49), options);
    expect(warnings.map((w) => `${w.kind}:${w.name}`)).toEqual(['schedule:nightly', 'app:notes', 'app:photos', 'target:nas']);
    expect(warnings[0]).toMatchObject({
      id: 's1',
      lastSuccessAt: hoursAgo(49).toISOString(),
      thresholdHours: 48,
      message: 'The schedule "nightly" was last backed up 49 h ago; more than 48 h is stale.',
      fixPath: '/schedules',
    });
    expect(warnings[1]).toMatchObject({ fixPath: '/backups/new' });
    expect(warnings[3]).toMatchObject({ fixPath: '/targets/t1/edit' });
  });

  it('a weekday schedule tolerates its weekend: six days, not two', () => {
    const weekdays = schedule({ cron: '0 2 * * 1-5' });
    const at = (hours: number) => history({ schedules: [weekdays], backups: [backupAt(hours, { scheduleId: 's1' })] });
    expect(computeStaleness(at(24 * 4), options)).toEqual([]);
    const warnings = computeStaleness(at(24 * 7), options);
    expect(warnings[0]).toMatchObject({
      kind: 'schedule',
      thresholdHours: 144,
      message: expect.stringContaining('more than 6 d is stale'),
    });
  });

  it('a disabled schedule is never stale; an enabled one without a success is, once its threshold passed since it was created', () => {
    expect(stale(history({ schedules: [schedule({ enabled: false })], installedApps: [] }))).toEqual([]);
    expect(stale(history({ schedules: [schedule({ createdAt: hoursAgo(1) })], installedApps: [] }))).toEqual([]);
    const warnings = computeStaleness(
      history({ schedules: [schedule({ createdAt: hoursAgo(72) })], installedApps: [] }),
      options,
    );
    expect(warnings.map((w) => w.message)).toEqual([
      'The schedule "nightly" has not completed a backup in the 3 d since it was created; more than 48 h is stale.',
      'The target "nas" holds no successful backup yet, though its schedules should have made one within 48 h.',
    ]);
  });

  it('an installed app never backed up is stale at once; an app no longer installed is not', () => {
    const h = history({ backups: [backupAt(1, { apps: ['notes', 'old-app'] })], installedApps: ['notes', 'photos'] });
    expect(computeStaleness(h, options).map((w) => w.message)).toEqual(['The app "photos" has never been backed up.']);
    // Without the inventory, the catalog's apps are the apps.
    expect(stale({ ...h, installedApps: null })).toEqual([]);
  });

  it("an app's threshold is the loosest of the schedules covering it, else 48 h", () => {
    const weekly = schedule({ id: 's2', name: 'weekly', cron: '0 2 * * 0', scope: 'apps', apps: ['photos'] });
    const h = history({ schedules: [weekly], backups: [backupAt(24 * 5, { scheduleId: 's2' })] });
    expect(stale(h)).toEqual(['app:notes']); // photos has 14 days, notes 48 h
    expect(computeStaleness(h, options)[0]?.thresholdHours).toBe(48);
  });

  it('a target neither holding backups nor used by a schedule is never stale', () => {
    const spare = target({ id: 't2', name: 'spare' });
    expect(stale(history({ targets: [target(), spare], backups: [backupAt(1)] }))).toEqual([]);
  });

  it('follows the thresholds in the settings', () => {
    const h = history({ schedules: [schedule()], backups: [backupAt(30, { scheduleId: 's1' })] });
    const tighter = { ...options, thresholds: { ...DEFAULT_HEALTH_THRESHOLDS, scheduleStaleFactor: 1 } };
    expect(stale(h, tighter)).toEqual(['schedule:nightly', 'app:notes', 'app:photos', 'target:nas']);
    const apps = history({ backups: [backupAt(30)] });
    expect(stale(apps)).toEqual([]);
    expect(stale(apps, { ...options, thresholds: { ...DEFAULT_HEALTH_THRESHOLDS, staleAfterHours: 24 } })).toEqual([
      'app:notes',
      'app:photos',
      'target:nas',
    ]);
  });
});
