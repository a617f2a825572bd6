import { describe, expect, it } from 'vitest';
import { backupAt, history, hoursAgo, NOW, schedule, target } from '@/test/helpers/health-history';
import { summarizeHealth } from './backup-health';
import { scoreHealth } from './health-score';
import { DEFAULT_HEALTH_THRESHOLDS } from './health-settings';

const options = { now: NOW, timeZone: 'UTC', thresholds: DEFAULT_HEALTH_THRESHOLDS };
const weights = (h: ReturnType<typeof history>) => summarizeHealth(h, options).reasons.map((r) => `${r.code}:${r.weight}`);
const verifiedOk = { verifiedAt: hoursAgo(24), verifyResult: 'ok' };

/** A well-kept instance: a nightly schedule that ran 10 h ago, verified yesterday, target tested fine. */
function healthy() {
  return history({
    schedules: [schedule()],
    targets: [target({ lastTestAt: hoursAgo(5), lastTestOk: true })],
    backups: [backupAt(10, { scheduleId: 's1', ...verifiedOk }), backupAt(34, { scheduleId: 's1' })],
  });
}

describe('the health summary of hand-built histories', () => {
  it('a well-kept instance scores 100 with no reasons, and shows last backups and next runs', () => {
    const health = summarizeHealth(healthy(), options);
    expect(health).toMatchObject({ score: 100, grade: 'good', reasons: [], staleness: [], unverified: [] });
    const newest = { at: hoursAgo(10).toISOString(), targetName: 'nas' };
    expect(health.lastSuccess.overall).toMatchObject(newest);
    expect(health.lastSuccess.perApp).toEqual([
      { app: 'notes', last: expect.objectContaining(newest) },
      { app: 'photos', last: expect.objectContaining(newest) },
    ]);
    expect(health.lastSuccess.perTarget).toEqual([{ targetId: 't1', name: 'nas', last: expect.objectContaining(newest) }]);
    expect(health.lastSuccess.perSchedule).toEqual([
      { scheduleId: 's1', name: 'nightly', enabled: true, last: expect.objectContaining(newest) },
    ]);
    expect(health.nextRuns).toEqual([{ scheduleId: 's1', name: 'nightly', nextAt: '2026-11-29T02:00:00.000Z' }]);
  });

  it('a fresh instance with apps and nothing backed up is critical, and says where to start', () => {
    const health = summarizeHealth(history(), options);
    expect(health.reasons).toEqual([
      { code: 'no_backup', weight: 60, message: 'No backup has completed yet: back up now.', fixPath: '/backups/new' },
      {
        code: 'no_schedule',
        weight: 10,
        message: 'No schedule is enabled: backups happen only when started by hand.',
        fixPath: '/schedules',
      },
      { code: 'stale_app', weight: 10, message: 'The app "notes" has never been backed up.', fixPath: '/backups/new' },
      { code: 'stale_app', weight: 10, message: 'The app "photos" has never been backed up.', fixPath: '/backups/new' },
    ]);
    expect(health).toMatchObject({ score: 10, grade: 'critical' });
    expect(health.lastSuccess.overall).toBeNull();
  });

  it('a failed backup weighs until a later one of the same schedule succeeds; both stay listed', () => {
    const failed = backupAt(3, {
      scheduleId: 's1',
      status: 'failed',
      finishedAt: hoursAgo(3),
      errorMessage: 'The target is unreachable.',
    });
    const base = healthy();
    const unresolved = { ...base, backups: [failed, ...base.backups] };
    expect(weights(unresolved)).toEqual(['failed_backup:10']);
    const health = summarizeHealth(unresolved, options);
    expect(health.score).toBe(90);
    expect(health.reasons[0]).toMatchObject({
      message: `A backup to "nas" by the schedule "nightly" failed at ${failed.startedAt.toISOString()}: The target is unreachable.`,
      fixPath: `/backups/${failed.id}`,
    });
    const retried = { ...unresolved, backups: [backupAt(1, { scheduleId: 's1' }), ...unresolved.backups] };
    const after = summarizeHealth(retried, options);
    expect(after.score).toBe(100);
    expect(after.recentFailures.backups).toEqual([expect.objectContaining({ backupId: failed.id, resolved: true })]);
  });

  it('a manual failure is resolved by a later success of the same target and app set only', () => {
    const failed = backupAt(3, { status: 'failed', scope: 'apps', apps: ['photos'] });
    const base = healthy();
    const otherApps = { ...base, backups: [backupAt(1, { scope: 'apps', apps: ['notes'] }), failed, ...base.backups] };
    expect(weights(otherApps)).toEqual(['failed_backup:10']);
    const sameApps = { ...base, backups: [backupAt(1, { scope: 'apps', apps: ['photos'] }), failed, ...base.backups] };
    expect(weights(sameApps)).toEqual([]);
  });

  it('failed verifications weigh 25 each up to 50, heaviest reasons first', () => {
    const base = healthy();
    const bad = (hours: number) =>
      backupAt(hours, { verifiedAt: hoursAgo(2), verifyResult: 'corrupted', verifyMessage: 'authentication failure: chunk 3' });
    const h = { ...base, backups: [...base.backups, bad(40), bad(50), bad(60)] };
    const health = summarizeHealth(h, options);
    expect(health.reasons.map((r) => `${r.code}:${r.weight}`)).toEqual([
      'failed_verification:25',
      'failed_verification:25',
      'failed_verification:0',
    ]);
    expect(health.score).toBe(50);
    expect(health.grade).toBe('poor');
    expect(health.reasons[0]?.message).toMatch(
      /^Backup [0-9a-f]{8} on "nas" failed its verification \(corrupted\): authentication failure: chunk 3$/,
    );
    expect(health.reasons[0]?.fixPath).toMatch(/^\/backups\/[0-9a-f]{32}$/);
    expect(health.failedVerifications).toHaveLength(3);
  });

  it('a target whose last connection test failed weighs 15 and links to its settings', () => {
    const base = healthy();
    const h = {
      ...base,
      targets: [target({ lastTestAt: hoursAgo(1), lastTestOk: false, lastTestMessage: 'Authentication failed.' })],
    };
    expect(summarizeHealth(h, options).reasons).toEqual([
      {
        code: 'target_test_failed',
        weight: 15,
        message: 'The last connection test of "nas" failed: Authentication failed.',
        fixPath: '/targets/t1/edit',
      },
    ]);
  });

  it('a target none of whose backups was verified ok in 30 days is unverified, pointing at its newest backup', () => {
    const never = history({ schedules: [schedule()], backups: [backupAt(10, { scheduleId: 's1' })] });
    const health = summarizeHealth(never, options);
    expect(health.reasons).toEqual([
      {
        code: 'unverified_target',
        weight: 10,
        message: 'No backup on "nas" has ever been verified ok: verify its newest backup.',
        fixPath: `/backups/${never.backups[0]?.id}`,
      },
    ]);
    const old = history({
      schedules: [schedule()],
      backups: [backupAt(10, { scheduleId: 's1' }), backupAt(24 * 40, { verifiedAt: hoursAgo(24 * 40), verifyResult: 'ok' })],
    });
    expect(summarizeHealth(old, options).unverified[0]?.message).toBe(
      'No backup on "nas" was verified ok in the last 30 days (the last, 40 d ago): verify its newest backup.',
    );
  });

  it('a missed run weighs 5 until the schedule succeeds after it', () => {
    const missed = {
      scheduleId: 's1',
      fireAt: hoursAgo(34),
      status: 'missed',
      message: 'The worker was down past the grace window.',
    };
    const base = healthy();
    expect(weights({ ...base, missedRuns: [missed] })).toEqual([]); // the 10 h old backup came after it
    const recent = { ...missed, fireAt: hoursAgo(5) };
    const health = summarizeHealth({ ...base, missedRuns: [recent] }, options);
    expect(health.reasons).toEqual([
      {
        code: 'missed_run',
        weight: 5,
        message: `The schedule "nightly" missed its run at ${hoursAgo(5).toISOString()}: The worker was down past the grace window.`,
        fixPath: '/schedules',
      },
    ]);
  });

  it('never goes below 0', () => {
    const h = history({
      targets: [target({ lastTestOk: false }), target({ id: 't2', name: 'usb', lastTestOk: false })],
      installedApps: ['a', 'b', 'c', 'd', 'e'],
      backups: [backupAt(24 * 10, { apps: ['a'], verifyResult: 'missing', verifiedAt: hoursAgo(1) })],
    });
    expect(summarizeHealth(h, options)).toMatchObject({ score: 0, grade: 'critical' });
  });
});

describe('scoreHealth', () => {
  it('caps each kind: later occurrences weigh what is left', () => {
    const finding = { code: 'stale_app' as const, message: 'x', fixPath: '/backups/new' };
    const result = scoreHealth([finding, finding, finding, finding]);
    expect(result.reasons.map((r) => r.weight)).toEqual([10, 10, 10, 0]);
    expect(result).toMatchObject({ score: 70, grade: 'fair' });
    expect(scoreHealth([])).toEqual({ score: 100, grade: 'good', reasons: [] });
  });
});
