import { describe, expect, it } from 'vitest';
import { type CatalogCandidate, type CatalogRules, planCatalogRetention } from './catalog-retention';
import { type RetentionPolicy, reasonLabel } from './retention';

// Each backup is named "<schedule or 'manual'>@<target>#<day>T<hour>" so a table row reads alone.
function b(schedule: string | null, target: string, at: string): CatalogCandidate {
  return {
    id: `${schedule ?? 'manual'}@${target}#${at}`,
    startedAt: new Date(`2026-11-${at}:00:00Z`),
    scheduleId: schedule,
    targetId: target,
  };
}

function rules(schedules: Record<string, RetentionPolicy>, targets: Record<string, number | null>): CatalogRules {
  return {
    schedules: new Map(Object.entries(schedules)),
    targets: new Map(Object.entries(targets).map(([id, keepLast]) => [id, { name: id.toUpperCase(), keepLast }])),
  };
}

function plan(backups: CatalogCandidate[], r: CatalogRules, protectedIds: string[] = []) {
  return Object.fromEntries(
    planCatalogRetention(backups, r, { timeZone: 'UTC', protectedIds: new Set(protectedIds) }).map((d) => [
      d.id,
      d.action === 'keep' ? d.reasons.map(reasonLabel).join(', ') : 'DELETE',
    ]),
  );
}

describe('planCatalogRetention: a schedule policy and its target "keep last" together', () => {
  it('a target "keep last" alone keeps the N newest on that target, scheduled or not', () => {
    const backups = [b(null, 'usb', '20T02'), b(null, 'usb', '21T02'), b('s', 'usb', '22T02'), b(null, 'usb', '23T02')];
    expect(plan(backups, rules({ s: {} }, { usb: 2 }))).toEqual({
      'manual@usb#23T02': 'newest on target, target last 2',
      's@usb#22T02': 'newest, target last 2',
      'manual@usb#21T02': 'DELETE',
      'manual@usb#20T02': 'DELETE',
    });
  });

  it('without any rule nothing is deleted', () => {
    const backups = [b(null, 'usb', '20T02'), b('s', 'usb', '21T02'), b('s', 'usb', '22T02')];
    expect(plan(backups, rules({ s: {} }, { usb: null }))).toEqual({
      's@usb#22T02': 'newest, no policy',
      's@usb#21T02': 'no policy',
      'manual@usb#20T02': 'no policy',
    });
  });

  it('union: what the schedule drops but the target still counts among its last N stays', () => {
    const backups = [b('s', 'usb', '20T02'), b('s', 'usb', '21T02'), b('s', 'usb', '22T02'), b('s', 'usb', '23T02')];
    expect(plan(backups, rules({ s: { keepLast: 1 } }, { usb: 3 }))).toEqual({
      's@usb#23T02': 'newest, last 1, newest on target, target last 3',
      's@usb#22T02': 'target last 3',
      's@usb#21T02': 'target last 3',
      's@usb#20T02': 'DELETE',
    });
  });

  it('union: what the target drops but the schedule keeps stays (keep-daily beyond the target’s last 1)', () => {
    const backups = [b('s', 'usb', '21T02'), b('s', 'usb', '22T02'), b('s', 'usb', '22T14'), b('s', 'usb', '23T02')];
    expect(plan(backups, rules({ s: { keepDaily: 2 } }, { usb: 1 }))).toEqual({
      's@usb#23T02': 'newest, daily 2026-11-23, newest on target, target last 1',
      's@usb#22T14': 'daily 2026-11-22',
      's@usb#22T02': 'DELETE',
      's@usb#21T02': 'DELETE',
    });
  });

  it('a schedule without rules leaves its backups to the target, but its newest always stays', () => {
    // The hourly schedule floods the target; the nightly one's only backup must not go.
    const backups = [
      b('nightly', 'usb', '22T02'),
      b('hourly', 'usb', '22T10'),
      b('hourly', 'usb', '22T11'),
      b('hourly', 'usb', '22T12'),
    ];
    expect(plan(backups, rules({ nightly: {}, hourly: {} }, { usb: 2 }))).toEqual({
      'hourly@usb#22T12': 'newest, newest on target, target last 2',
      'hourly@usb#22T11': 'target last 2',
      'hourly@usb#22T10': 'DELETE',
      'nightly@usb#22T02': 'newest',
    });
  });

  it('a target "keep last" never reaches backups on other targets', () => {
    const backups = [b('s', 'usb', '20T02'), b('s', 's3', '21T02'), b('s', 'usb', '22T02'), b('s', 's3', '23T02')];
    expect(plan(backups, rules({ s: { keepLast: 4 } }, { usb: 1, s3: null }))).toEqual({
      's@s3#23T02': 'newest, last 4',
      's@usb#22T02': 'last 4, newest on target, target last 1',
      's@s3#21T02': 'last 4',
      's@usb#20T02': 'last 4',
    });
    expect(plan(backups, rules({ s: { keepLast: 1 } }, { usb: 1, s3: null }))).toEqual({
      's@s3#23T02': 'newest, last 1',
      's@usb#22T02': 'newest on target, target last 1',
      's@s3#21T02': 'DELETE',
      's@usb#20T02': 'DELETE',
    });
  });

  it('the backups of a removed schedule count as made by hand', () => {
    const backups = [b('gone', 'usb', '20T02'), b('gone', 'usb', '21T02'), b('gone', 'nas', '22T02'), b('gone', 'nas', '23T02')];
    expect(plan(backups, rules({}, { usb: 1, nas: null }))).toEqual({
      'gone@nas#23T02': 'no policy',
      'gone@nas#22T02': 'no policy',
      'gone@usb#21T02': 'newest on target, target last 1',
      'gone@usb#20T02': 'DELETE',
    });
  });

  it('a backup in use by a restore or verification stays whatever the rules say', () => {
    const backups = [b(null, 'usb', '20T02'), b(null, 'usb', '21T02'), b(null, 'usb', '22T02')];
    expect(plan(backups, rules({}, { usb: 1 }), ['manual@usb#20T02'])).toEqual({
      'manual@usb#22T02': 'newest on target, target last 1',
      'manual@usb#21T02': 'DELETE',
      'manual@usb#20T02': 'in use',
    });
  });

  it('plans nothing for an empty catalog', () => {
    expect(planCatalogRetention([], rules({}, {}), { timeZone: 'UTC' })).toEqual([]);
  });
});
